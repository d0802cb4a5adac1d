"""Crawl speed: claimline's crawl against a bare Scrapy spider, on the same local site.

    python benchmarks/bench_crawl.py [--pages 2000] [--feeds 20] [--repeat 3]

Generates a site of PAGES article pages listed by FEEDS RSS feeds, serves it on
127.0.0.1 (claimline.localsite), then in the same run fetches it with
`claimline.refresh.crawl` into a fresh database (extraction, SQLite, WARC archive:
everything a first night does) and with a spider that only downloads the same URLs,
with the same concurrency; REPEAT times, alternating, since a shared machine's load
varies. Each crawl runs in its own process, timed from start to end. Prints pages per
second of each run and the CPU time its processes used (claimline's: the crawl and its
extraction workers), the medians and their ratio. See benchmarks/README.md.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimline import db as database  # noqa: E402
from claimline.localsite import LocalSite  # noqa: E402
from claimline.refresh import crawl  # noqa: E402

SETTINGS_MODULE = "claimline.crawler.settings.local"
SENTENCES = [
    "« Nous avons subi des attaques informatiques venues de l'étranger », a déclaré {who} {day}.",
    "Selon {who}, la plateforme a été rétablie dans l'après-midi pour {n} élèves.",
    "Les syndicats dénoncent un manque de préparation, a indiqué {who} dans un communiqué.",
    "{who} a démenti toute responsabilité dans les difficultés rencontrées {day}.",
    "Près de {n} connexions simultanées ont été enregistrées, a précisé {who}.",
]
SPEAKERS = ["le ministre", "la direction du CNED", "le PDG d'OVHcloud", "le SNES-FSU", "un rectorat"]
DAYS = ["mardi", "mercredi matin", "jeudi soir", "ce lundi", "hier"]


def article(number):
    paragraphs = [
        SENTENCES[(number + i) % len(SENTENCES)].format(
            who=SPEAKERS[(number * 7 + i) % len(SPEAKERS)], day=DAYS[(number + 3 * i) % len(DAYS)],
            n=1000 * (number % 97 + i))
        + " Les familles attendaient des explications depuis le début de la semaine, et les"
          " enseignants ont dû improviser des solutions de repli pour assurer la continuité."
        for i in range(8)]
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8">'
            f"<title>Article {number} — Le Banc d'Essai</title>"
            f'<meta property="article:published_time" content="2021-04-0{6 + number % 3}T10:00:00+02:00">'
            f"</head><body><nav><a href='/'>Accueil</a></nav><article><h1>Article {number}</h1>"
            f"{body}</article><footer>Banc d'essai de claimline</footer></body></html>")


def feed(number, page_numbers):
    items = "".join(
        f"<item><title>Article {n}</title><link>{{base_url}}/pages/{n}.html</link>"
        f"<pubDate>Tue, 06 Apr 2021 10:00:00 +0200</pubDate></item>" for n in page_numbers)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Flux {number}</title><link>{{base_url}}/</link><description>banc</description>"
            f"{items}</channel></rss>")


def generate_site(folder, pages, feeds):
    (folder / "pages").mkdir(parents=True)
    for n in range(pages):
        (folder / "pages" / f"{n}.html").write_text(article(n), encoding="utf-8")
    for f in range(feeds):
        (folder / f"feed-{f}.xml").write_text(feed(f, range(f, pages, feeds)), encoding="utf-8")


def bare_scrapy(urls_file):
    """The baseline, run in its own process: download every URL, keep nothing."""
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    class BareSpider(scrapy.Spider):
        name = "bare"

        async def start(self):
            for url in json.loads(Path(urls_file).read_text()):
                yield scrapy.Request(url, callback=self.parse)

        def parse(self, response):
            pass

    settings = Settings()
    local = __import__(SETTINGS_MODULE, fromlist=["*"])
    for name in ("CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_DELAY",
                 "AUTOTHROTTLE_ENABLED", "DOWNLOAD_TIMEOUT", "USER_AGENT"):
        settings.set(name, getattr(local, name))
    settings.set("LOG_LEVEL", "ERROR")
    settings.set("TELNETCONSOLE_ENABLED", False)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    print(json.dumps({"pages_fetched": crawler.stats.get_value("downloader/response_count", 0)}))


def children_cpu():
    """CPU seconds of the processes this one started and waited for, and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(run):
    started, cpu = time.monotonic(), children_cpu()
    counts = run()
    return counts, time.monotonic() - started, children_cpu() - cpu


def claimline_crawl(folder, feed_urls):
    db_path = str(folder / "bench.db")
    db = database.open_db(db_path)
    sources = [{"id": f"feed-{f}", "kind": "feed", "url": url, "allow_private": ["127.0.0.1"]}
               for f, url in enumerate(feed_urls)]
    return crawl(db, db_path, sources, database.start_run(db, "crawl"), SETTINGS_MODULE,
                 {"CLAIMLINE_ARCHIVE_DIR": str(folder / "archive")})


def bare_crawl(urls_file):
    result = subprocess.run([sys.executable, __file__, "--bare", str(urls_file)], check=True,
                            capture_output=True, text=True, cwd=ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rates = {"claimline": [], "bare Scrapy": []}
    print(f"site: {args.pages} pages, {args.feeds} feeds, served from 127.0.0.1")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        generate_site(tmp / "site", args.pages, args.feeds)
        with LocalSite(tmp / "site") as site:
            feed_urls = [f"{site.base_url}/feed-{f}.xml" for f in range(args.feeds)]
            urls_file = tmp / "urls.json"
            urls_file.write_text(json.dumps(
                feed_urls + [f"{site.base_url}/pages/{n}.html" for n in range(args.pages)]))
            for run in range(args.repeat):
                for name, fetch in (("claimline", lambda: claimline_crawl(tmp / f"run-{run}", feed_urls)),
                                    ("bare Scrapy", lambda: bare_crawl(urls_file))):
                    counts, seconds, cpu = timed(fetch)
                    rates[name].append(counts["pages_fetched"] / seconds)
                    print(f"run {run + 1}, {name}: {counts['pages_fetched']} responses in "
                          f"{seconds:.1f} s (CPU {cpu:.1f} s): {rates[name][-1]:.0f} pages/s")
    medians = {name: statistics.median(values) for name, values in rates.items()}
    print(f"median: claimline {medians['claimline']:.0f} pages/s, "
          f"bare Scrapy {medians['bare Scrapy']:.0f} pages/s, "
          f"ratio {medians['claimline'] / medians['bare Scrapy']:.2f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bare"]:
        bare_scrapy(sys.argv[2])
    else:
        main()

"""Incremental refresh: a second `claimline refresh` of an unchanged site against the first.

    python benchmarks/bench_incremental.py [--pages 200] [--feeds 10] [--hosts 4] [--recheck]

Generates the article site of benchmarks/bench_crawl.py (PAGES pages of French reported
speech listed by FEEDS RSS feeds) and serves it from HOSTS loopback addresses (127.0.0.1,
127.0.0.2, …: each a host of its own for the crawler's politeness); feed F is read from
host F mod HOSTS and links to pages on its host. Runs `claimline refresh` twice on one new
database, each in its own process as cron would, with the production settings
(`claimline.crawler.settings.base`: download delay, AutoThrottle, robots.txt), then
measures start-up, what every refresh spends whatever the site: starting Python with the
CLI and the refresh job (importing `claimline.cli`, `claimline.refresh`), and the crawl's
process from start to end with no source (imports, Scrapy's engine, the database
opened), the median of three each. Prints each time, the ratio second / first with
start-up taken off both, and the rows each table gained in the second run; exits with 1
when the second added any row but its own `runs` row. `--recheck` runs the second
refresh with `--recheck`: every page revalidated, as before the revisit policy.
"""

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from claimline.db import TABLES  # noqa: E402
from claimline.localsite import LocalSite  # noqa: E402
from bench_crawl import generate_site  # noqa: E402

SETTINGS_MODULE = "claimline.crawler.settings.base"
STARTUP_ROUNDS = 3


def row_counts(db_path):
    with sqlite3.connect(db_path) as con:
        return {table: con.execute(f"select count(*) from [{table}]").fetchone()[0] for table in TABLES}


def write_sources(path, feed_urls):
    path.write_text("sources:\n" + "".join(
        f"  - id: feed-{n}\n    kind: feed\n    url: {url}\n    lang: fr\n    allow_private: true\n"
        for n, url in enumerate(feed_urls)), encoding="utf-8")
    return path


def timed(command, env=None):
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def startup(folder):
    """Seconds to start the refresh's process, and the crawl's with nothing to crawl."""
    no_sources = folder / "no-sources.json"
    no_sources.write_text("[]", encoding="utf-8")
    commands = ([sys.executable, "-c", "import claimline.cli, claimline.refresh"],
                [sys.executable, "-m", "claimline.crawler.run", str(no_sources),
                 str(folder / "startup.db"), "0", SETTINGS_MODULE])
    return sum(statistics.median(timed(command) for _ in range(STARTUP_ROUNDS)) for command in commands)


def timed_refresh(sources, db_path, *options):
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": SETTINGS_MODULE}
    return timed([sys.executable, "-m", "claimline", "refresh", "--quiet", "--sources", str(sources),
                  "--db", str(db_path), "--incidents", str(ROOT / "claimline" / "demo" / "incidents.yml"),
                  *options], env)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--feeds", type=int, default=10)
    parser.add_argument("--hosts", type=int, default=4, help="loopback addresses serving the site")
    parser.add_argument("--recheck", action="store_true", help="the second refresh revalidates every page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, ExitStack() as sites:
        folder = Path(folder)
        generate_site(folder / "site", args.pages, args.feeds)
        hosts = [sites.enter_context(LocalSite(folder / "site", host=f"127.0.0.{h + 1}")).base_url
                 for h in range(args.hosts)]
        sources = write_sources(folder / "sources.yml", [
            f"{hosts[f % args.hosts]}/feed-{f}.xml" for f in range(args.feeds)])
        db_path = folder / "bench.db"
        first = timed_refresh(sources, db_path)
        before = row_counts(db_path)
        second = timed_refresh(sources, db_path, *(["--recheck"] if args.recheck else []))
        after = row_counts(db_path)
        started = startup(folder)
        with sqlite3.connect(db_path) as con:
            fetched, not_due = con.execute(
                "select pages_fetched, pages_not_due from runs order by id desc limit 1").fetchone()
    print(f"site: {args.pages} pages, {args.feeds} feeds on {args.hosts} hosts; settings {SETTINGS_MODULE}; "
          f"database after the first refresh: {before['documents']} documents, "
          f"{before['statements']} statements")
    print(f"first refresh:  {first:.1f} s")
    print(f"second refresh: {second:.1f} s ({fetched} pages fetched, {not_due} not due)")
    print(f"start-up (the refresh's process started, a crawl of no source; medians of {STARTUP_ROUNDS}): "
          f"{started:.1f} s")
    print(f"ratio: {second / first:.3f}; start-up taken off both: "
          f"{(second - started) / (first - started):.3f}")
    added = {table: after[table] - before[table] for table in TABLES if after[table] != before[table]}
    print("rows added by the second refresh: " + (", ".join(f"{t} {n}" for t, n in added.items()) or "none"))
    if added != {"runs": 1}:
        sys.exit("the unchanged refresh added rows besides its runs row")


if __name__ == "__main__":
    main()

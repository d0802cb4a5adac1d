"""Extraction in worker processes beside the reactor (crawler.pool): the same documents
and errors as in the crawl's own process, a worker's crash costs only its page, and a
crawl killed with -9 leaves no worker behind."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimline import db as database
from claimline.localsite import HOLD, Answer, LocalSite
from claimline.refresh import crawl

TESTS = Path(__file__).parent
SETTINGS = "claimline.crawler.settings.local"
# generous: processes start slowly on a loaded machine
WAIT_SECONDS = 60
SPEECH = ("« Nous avons subi des attaques informatiques venues de l'étranger », a déclaré le "
          "ministre {n} mardi, avant de préciser que la plateforme avait été rétablie dans "
          "l'après-midi pour des milliers d'élèves et leurs enseignants.")
TWEET = ('<blockquote class="twitter-tweet"><p lang="fr">Le CNED n\'est pas responsable.</p>'
         '&mdash; Le CNED (@cned) <a href="https://twitter.com/cned/status/1379">April 6, 2021</a>'
         '</blockquote>')


def article(n, extra=""):
    paragraphs = "".join(f"<p>{SPEECH.format(n=n)} Paragraphe {i}.</p>" for i in range(4))
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Article {n}</title>'
            f'<meta property="article:published_time" content="2021-04-06T10:0{n % 10}:00+02:00">'
            f"</head><body><article><h1>Article {n}</h1>{paragraphs}{extra}</article></body></html>")


def make_site(folder, names):
    """Articles named `names`, a feed listing them, and pages that fail in each way a
    page's extraction can: a false charset, no main text, binary content, an empty page
    (on which lxml raises)."""
    folder.mkdir()
    for n, name in enumerate(names):
        (folder / name).write_text(article(n, TWEET if n == 0 else ""), encoding="utf-8")
    (folder / "fake-utf8.html").write_bytes(article(90).encode("cp1252"))
    (folder / "empty.html").write_text("<html><head><title>Vide</title></head><body></body></html>")
    (folder / "blank.html").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    # summaries for the articles only: a page without main text would be kept with its summary
    items = "".join(f"<item><title>Entrée {name}</title><link>{{base_url}}/{name}</link>"
                    f"<description>&lt;p&gt;Résumé de {name}&lt;/p&gt;</description></item>"
                    for name in names)
    items += "".join(f"<item><link>{{base_url}}/{name}</link></item>"
                     for name in ("fake-utf8.html", "empty.html", "blank.html", "image.png"))
    (folder / "feed.xml").write_text(f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0">'
                                     f"<channel><title>Flux</title>{items}</channel></rss>",
                                     encoding="utf-8")


def crawl_site(site, db_path, workers, settings_module=SETTINGS):
    sources = [{"id": "site", "kind": "feed", "url": f"{site.base_url}/feed.xml",
                "allow_private": ["127.0.0.1"]}]
    db_path.parent.mkdir()
    db = database.open_db(str(db_path))
    crawl(db, str(db_path), sources, database.start_run(db, "crawl"), settings_module,
          {"CLAIMLINE_EXTRACT_WORKERS": workers, "CLAIMLINE_ARCHIVE_DIR": str(db_path.parent)})
    return db


def kept(db):
    """What a crawl kept, but the times."""
    documents = db.execute(
        "select id, url, fetched_url, kind, title, author, outlet, published_at, "
        "published_at_source, lang, text, content_hash, parent_id, version from documents "
        "order by id")
    errors = db.execute("select source_id, url, status, error from fetch_errors order by url, error")
    return documents.fetchall(), errors.fetchall()


def test_the_pool_extracts_what_the_crawl_process_extracts(tmp_path):
    make_site(tmp_path / "site", [f"article-{n}.html" for n in range(12)])
    with LocalSite(tmp_path / "site") as site:
        in_process = kept(crawl_site(site, tmp_path / "in-process" / "c.db", workers=0))
        pooled = kept(crawl_site(site, tmp_path / "pooled" / "c.db", workers=2))
        base = site.base_url

    assert pooled == in_process
    documents, errors = pooled
    kinds = [document[3] for document in documents]
    assert (kinds.count("article"), kinds.count("post")) == (13, 1)  # the tweet of article 0
    assert {url.removeprefix(base): error for _, url, _, error in errors} == {
        "/fake-utf8.html": "the page declares the charset utf-8 but is not utf-8: read as windows-1252",
        "/empty.html": "no main text could be extracted from the page",
        "/image.png": "the page is not text (binary content)",
        "/blank.html": "claimline could not read the page (ParserError: Document is empty)",
    }


def test_a_page_that_kills_its_worker_is_an_error_and_the_others_are_kept(tmp_path, monkeypatch):
    names = [f"article-{n}.html" for n in range(10)]
    names.insert(4, "crash-the-worker.html")
    make_site(tmp_path / "site", names)
    # where the crawl and its workers find the settings that make the crash
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(TESTS), *filter(None, [os.environ.get("PYTHONPATH")])]))
    with LocalSite(tmp_path / "site") as site:
        db = crawl_site(site, tmp_path / "crash" / "c.db", workers=1,
                        settings_module="crashing_extraction")

    titles = {row[0] for row in db.execute("select title from documents where kind = 'article'")}
    assert titles == {f"Article {n}" for n in range(11) if n != 4} | {"Article 90"}
    crashes = db.execute("select url, error from fetch_errors where error like '%worker%'").fetchall()
    assert len(crashes) == 1
    url, error = crashes[0]
    assert url.endswith("/crash-the-worker.html")
    assert error == (f"extracting {url} killed the worker process, twice (the second time "
                     "alone): the page is not kept")


def descendants(pid):
    """The processes below `pid` (children, theirs, …), read from /proc."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def alive(pid):
    """Whether `pid` still runs: a zombie (dead, not yet reaped) does not."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(condition, what):
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"still waiting, after {WAIT_SECONDS} s, for {what}"
        time.sleep(0.05)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers die with their parent on Linux")
def test_a_crawl_killed_with_minus_9_leaves_no_worker_behind(tmp_path):
    site = tmp_path / "site"
    make_site(site, ["article-0.html", "held.html"])
    db_path = tmp_path / "killed.db"
    db = database.open_db(str(db_path))
    with LocalSite(site) as local:
        local.answers["/held.html"] = [Answer(200, body=b"<p>jamais</p>", delay=HOLD)]
        sources = [{"id": "site", "kind": "urls", "allow_private": ["127.0.0.1"],
                    "urls": [f"{local.base_url}/article-0.html", f"{local.base_url}/held.html"]}]
        database.save_sources(db, sources)
        (tmp_path / "sources.json").write_text(json.dumps(sources))
        process = subprocess.Popen(
            [sys.executable, "-m", "claimline.crawler.run", str(tmp_path / "sources.json"),
             str(db_path), str(database.start_run(db, "crawl")), SETTINGS,
             json.dumps({"CLAIMLINE_EXTRACT_WORKERS": 2, "CLAIMLINE_ARCHIVE_DIR": str(tmp_path)})],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            # the article extracted and saved: a worker runs, and the crawl waits for held.html
            wait_until(lambda: db.execute("select count(*) from documents").fetchone()[0] > 0,
                       "the first page to be saved")
            workers = descendants(process.pid)
            assert any(b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in workers)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        wait_until(lambda: not any(alive(pid) for pid in workers), f"the crawl's processes {workers} to end")

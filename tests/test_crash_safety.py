"""`kill -9` at several moments of a refresh: the database stays sound and serves, and
the next refresh ends with exactly what a clean run gives."""

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimline.localsite import LocalSite, SiteHandler
from claimline.cli import DEMO
from claimline.site import build_datasette

ROOT = Path(__file__).parent.parent
# what a refresh makes, compared between a clean run and a killed run plus its rerun
CONTENT = {
    "documents": "select id, content_hash, version, analyzed_hash from documents",
    "document_versions": "select document_id, version, content_hash from document_versions",
    "statements": "select id, actor_id, said_at, utterance_id from statements",
    "claims": "select id, claim_type, target_actor_id from claims",
    "incident_statements": "select * from incident_statements",
    "disputes": "select statement_id, disputed_statement_id from disputes",
}


class SlowPages(SiteHandler):
    """While `delay` is set, pages take that long, as on the web, so a crawl lasts long
    enough to be killed in."""
    delay = 0

    def do_GET(self):
        if self.path.endswith(".html"):
            time.sleep(SlowPages.delay)
        super().do_GET()


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    with LocalSite(DEMO / "site", handler=SlowPages) as site:
        path = tmp_path_factory.mktemp("site") / "sources.yml"
        path.write_text((DEMO / "sources.yml").read_text(encoding="utf-8").replace(
            "{base_url}", site.base_url), encoding="utf-8")
        yield path


def start_refresh(sources, db_path):
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "claimline.crawler.settings.local"}
    return subprocess.Popen(
        [sys.executable, "-m", "claimline", "refresh", "--quiet", "--sources", str(sources),
         "--db", str(db_path), "--incidents", str(DEMO / "incidents.yml")],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def refresh(sources, db_path):
    process = start_refresh(sources, db_path)
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output


def query(db_path, sql):
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as con:
        return con.execute(sql).fetchall()


def content(db_path):
    return {table: sorted(query(db_path, sql), key=repr) for table, sql in CONTENT.items()}


@pytest.fixture(scope="module")
def clean(sources, tmp_path_factory):
    db_path = tmp_path_factory.mktemp("clean") / "clean.db"
    refresh(sources, db_path)
    return content(db_path)


def progress(db_path):
    """(documents, documents analysed, statements) so far, or None before the schema exists."""
    try:
        return query(db_path, "select count(*), count(analyzed_hash), "
                              "(select count(*) from statements) from documents")[0]
    except sqlite3.OperationalError:
        return None


def crawl_processes(db_path):
    """Crawls still running on this database (a killed refresh must take its crawl along)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"claimline.crawler.run" in args and str(db_path).encode() in args:
            found.append(cmdline.parent.name)
    return found


MOMENTS = {
    "during the crawl": lambda total, seen: seen and 0 < seen[0] < total and seen[2] == 0,
    "right after the crawl": lambda total, seen: seen and seen[0] == total and seen[1] == 0,
    "during the analysis": lambda total, seen: seen and 0 < seen[1] < total,
}


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_refresh_killed_at_any_moment_is_finished_by_the_next(moment, sources, clean, tmp_path,
                                                                 monkeypatch):
    db_path = tmp_path / "killed.db"
    total = len(clean["documents"])
    monkeypatch.setattr(SlowPages, "delay", 0.5)
    process = start_refresh(sources, db_path)
    while not MOMENTS[moment](total, progress(db_path)):
        assert process.poll() is None, f"the refresh ended before the moment {moment!r}"
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    monkeypatch.setattr(SlowPages, "delay", 0)

    assert query(db_path, "pragma integrity_check") == [("ok",)]
    site = build_datasette(str(db_path))
    assert asyncio.run(site.client.get("/claimline/timeline.json")).status_code == 200
    time.sleep(0.5)  # the kernel kills the crawl at once; left alone it would run for seconds
    assert crawl_processes(db_path) == []

    refresh(sources, db_path)
    assert content(db_path) == clean
    assert query(db_path, "select status from runs order by id") == [("interrupted",), ("ok",)]

"""Sources that do not answer: the refresh names them and says so in its exit code, and
retries stay within their budgets. Sites on 127.0.0.1; no assertion on time."""

import socket
from collections import Counter

import pytest
from click.testing import CliRunner

from claimline import db as database
from claimline.cli import cli
from claimline.localsite import Answer, LocalSite
from claimline.refresh import EXIT_FAILED, EXIT_PARTIAL, crawl

LOCAL_SETTINGS = "claimline.crawler.settings.local"


@pytest.fixture
def site(tmp_path):
    """An empty site: every path is scripted by the test, robots.txt is missing (404)."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "empty-feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Rien</title></channel></rss>',
        encoding="utf-8")
    with LocalSite(folder) as served:
        yield served


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 nothing listens on: connections are refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def feed(source_id, url):
    return f"  - id: {source_id}\n    kind: feed\n    url: {url}\n    allow_private: [127.0.0.1]\n"


def refresh(tmp_path, monkeypatch, sources, *options):
    """`claimline refresh` of feeds [(id, url)]: its result and database."""
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", LOCAL_SETTINGS)
    path = tmp_path / "sources.yml"
    path.write_text("sources:\n" + "".join(feed(*source) for source in sources), encoding="utf-8")
    db_path = str(tmp_path / "c.db")
    result = CliRunner().invoke(cli, ["refresh", *options, "--sources", str(path), "--db", db_path])
    return result, database.open_db(db_path)


def test_every_source_failing_exits_4_and_names_them(tmp_path, monkeypatch, site, closed_port):
    site.answers["/feed.xml"] = [Answer(500)]
    result, db = refresh(tmp_path, monkeypatch, [("down", f"{site.base_url}/feed.xml"),
                                                 ("closed", f"http://127.0.0.1:{closed_port}/feed.xml")])
    assert result.exit_code == EXIT_FAILED, result.output
    assert result.stderr.splitlines() == [
        f"Error: 2 of 2 source(s) failed (details: claimline status --db {tmp_path / 'c.db'}):",
        "  down: the server answered HTTP 500 (3 attempts)",
        "  closed: " + db["sources"].get("closed")["last_error"],
    ]
    assert "refused" in db["sources"].get("closed")["last_error"]
    [run] = db["runs"].rows
    assert run["status"] == "failed" and run["pages_fetched"] == 0


def test_some_sources_failing_exits_3_and_the_run_is_partial(tmp_path, monkeypatch, site):
    site.answers["/feed.xml"] = [Answer(503)]
    result, db = refresh(tmp_path, monkeypatch, [("down", f"{site.base_url}/feed.xml"),
                                                 ("calm", f"{site.base_url}/empty-feed.xml")])
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert result.stderr.splitlines()[1:] == ["  down: the server answered HTTP 503 (3 attempts)"]
    [run] = db["runs"].rows
    assert (run["status"], run["pages_fetched"]) == ("partial", 1)


def test_the_summary_names_five_failed_sources_and_counts_the_others(tmp_path, monkeypatch, site):
    result, _ = refresh(tmp_path, monkeypatch, [(f"gone-{n}", f"{site.base_url}/gone-{n}.xml")
                                                for n in range(7)])
    assert result.exit_code == EXIT_FAILED
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: 7 of 7 source(s) failed")
    assert [line.split(":")[0] for line in lines[1:]] == [f"  gone-{n}" for n in range(5)] + ["  and 2 more"]


def test_quiet_still_names_the_failed_sources(tmp_path, monkeypatch, site):
    site.answers["/feed.xml"] = [Answer(500)]
    result, _ = refresh(tmp_path, monkeypatch, [("down", f"{site.base_url}/feed.xml")], "--quiet")
    assert result.exit_code == EXIT_FAILED
    assert result.stdout == ""
    assert result.stderr.splitlines()[1] == "  down: the server answered HTTP 500 (3 attempts)"


def crawl_site(tmp_path, sources, **settings):
    """claimline's crawl with the local settings and `settings` on top: its counts and database."""
    db_path = str(tmp_path / "c.db")
    db = database.open_db(db_path)
    counts = crawl(db, db_path, sources, database.start_run(db, "crawl"), LOCAL_SETTINGS,
                   {"LOG_LEVEL": "ERROR", **settings})
    return counts, db


def requests_for(site, path):
    return [served for served in site.served if served.path == path]


def test_a_feed_answering_500_is_given_up_within_its_url_budget(tmp_path, site):
    site.answers["/feed.xml"] = [Answer(500)]
    # the first retry waits 1 s (1 of the budget's 2.5), the second would wait 2 s more
    crawl_site(tmp_path, [{"id": "down", "kind": "feed", "url": f"{site.base_url}/feed.xml",
                           "allow_private": True}],
               RETRY_TIMES=10, CLAIMLINE_BACKOFF_START_DELAY=1.0, CLAIMLINE_URL_BUDGET=2.5)
    assert len(requests_for(site, "/feed.xml")) == 2


def test_the_urls_of_a_source_share_its_budget(tmp_path, site):
    site.answers.update({"/a.html": [Answer(500)], "/b.html": [Answer(500)]})
    # a's retry spends 1 s of the source's 2.5; then b's or a's would wait 2 s or more
    crawl_site(tmp_path, [{"id": "down", "kind": "urls", "allow_private": True,
                           "urls": [f"{site.base_url}/a.html", f"{site.base_url}/b.html"]}],
               RETRY_TIMES=10, CLAIMLINE_BACKOFF_START_DELAY=1.0, CLAIMLINE_URL_BUDGET=100,
               CLAIMLINE_SOURCE_BUDGET=2.5)
    assert len(requests_for(site, "/a.html") + requests_for(site, "/b.html")) == 3


def test_a_source_failing_n_times_in_a_row_is_skipped_for_the_rest_of_the_run(tmp_path, site):
    paths = [f"/page-{n}.html" for n in range(5)]
    site.answers.update({path: [Answer(502)] for path in paths})
    counts, db = crawl_site(tmp_path, [{"id": "down", "kind": "urls", "allow_private": True,
                                        "urls": [site.base_url + path for path in paths]}],
                            RETRY_TIMES=0, CONCURRENT_REQUESTS=1, CLAIMLINE_SOURCE_MAX_FAILURES=3)
    assert sum(len(requests_for(site, path)) for path in paths) == 3
    errors = [e["error"] for e in db["fetch_errors"].rows]
    skipped = ("not fetched: the source failed 3 times in a row (the server answered HTTP "
               "502 Bad Gateway); skipped for the rest of the run")
    assert Counter(errors) == {"the server answered HTTP 502": 3, skipped: 2}
    assert counts["failed_sources"] == {"down": skipped}


def test_pages_fetched_counts_the_answers_the_crawl_read(tmp_path, site):
    (site.folder / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Le fil</title>'
        '<item><title>Bon</title><link>{base_url}/good.html</link></item>'
        '<item><title>Cassé</title><link>{base_url}/broken.html</link></item>'
        '<item><title>Absent</title><link>{base_url}/missing.html</link></item>'
        '</channel></rss>', encoding="utf-8")
    (site.folder / "good.html").write_text(
        "<html><head><title>Bon</title></head><body><article><p>Le service a repris ce matin "
        "après une longue panne, a indiqué la direction dans un communiqué publié en ligne.</p>"
        "</article></body></html>", encoding="utf-8")
    site.answers["/broken.html"] = [Answer(500)]
    counts, _ = crawl_site(tmp_path, [{"id": "fil", "kind": "feed", "url": f"{site.base_url}/feed.xml",
                                       "allow_private": True}])
    # robots.txt (404), the feed, the page, three 500s, one 404 answered: the feed and the page read
    assert len(site.served) == 7
    assert counts["pages_fetched"] == 2


def test_the_scheduler_logs_that_every_source_failed(tmp_path, monkeypatch, site):
    from claimline.scheduler import Scheduler
    site.answers["/feed.xml"] = [Answer(500)]
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", LOCAL_SETTINGS)
    (tmp_path / "sources.yml").write_text("sources:\n" + feed("down", f"{site.base_url}/feed.xml"))
    log = tmp_path / "refresh.log"
    code = Scheduler(["--sources", str(tmp_path / "sources.yml"), "--db", str(tmp_path / "c.db")],
                     log).refresh()
    assert code == EXIT_FAILED
    lines = log.read_text(encoding="utf-8").splitlines()
    assert "  down: the server answered HTTP 500 (3 attempts)" in lines
    assert lines[-1].endswith(" refresh done, every source failed (see claimline status)")

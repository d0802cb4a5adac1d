"""The crawl on a small site served from 127.0.0.1."""

from pathlib import Path

import pytest

from claimline import db as database
from claimline.localsite import LocalSite
from claimline.refresh import crawl

SITE = Path(__file__).parent / "files" / "site"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crawl")
    db_path = str(folder / "crawl.db")
    with LocalSite(SITE) as site:
        base = site.base_url  # the site fills {base_url} in feed.xml itself
        sources = [
            {"id": "petit", "kind": "feed", "url": f"{base}/feed.xml", "allow_private": True},
            {"id": "casse", "kind": "feed", "url": f"{base}/broken-feed.xml", "allow_private": True},
            {"id": "prive", "kind": "urls", "urls": [f"{base}/private.html"]},
        ]
        db = database.open_db(db_path)
        progress = []
        counts = crawl(db, db_path, sources, database.start_run(db, "crawl"), "claimline.crawler.settings.local",
                       progress=lambda *step: progress.append(step))
    return db, counts, progress


def test_article_with_clean_canonical_url_and_embedded_post(crawled):
    db, _, _ = crawled
    article = next(db["documents"].rows_where("kind = 'article'"))
    assert article["url"] == "https://petit-test.invalid/article.html"
    assert article["outlet"] == "Le Petit Test"
    assert (article["published_at"], article["published_at_source"]) == ("2021-04-06T18:00:00+02:00", "json-ld")
    assert article["lang"] == "fr"
    assert "attaques venues de l'étranger" in article["text"]
    assert "OVHcloud n'est pas responsable" not in article["text"]
    [post] = db["documents"].rows_where("kind = 'post'")
    assert post["url"] == "https://twitter.com/mpaulin_test/status/1234567890123456789"
    assert post["parent_id"] == article["id"]
    assert post["author"] == "Michel Paulin (@mpaulin_test)"
    assert post["published_at"] == "2021-04-06"


def test_the_crawl_reports_its_progress_to_the_end(crawled):
    _, counts, progress = crawled
    # every answer counts as progress, pages fetched only those the spider read (not the 404)
    assert progress[-1][0] == "crawl" and progress[-1][1] > counts["pages_fetched"] == 3
    assert all(done <= total for _, done, total in progress)


def test_a_source_with_errors_and_no_page_failed_the_run(crawled):
    db, _, _ = crawled
    health = {s["id"]: s for s in database.source_health(db)}
    assert {s: h["consecutive_failures"] for s, h in health.items()} == {"petit": 0, "casse": 1, "prive": 1}
    assert health["petit"]["last_success_at"] and not health["casse"]["last_success_at"]
    assert health["prive"]["last_error"]


def test_every_failure_is_recorded_with_a_sentence(crawled):
    db, counts, _ = crawled
    errors = {(e["source_id"], e["status"]): e["error"] for e in db["fetch_errors"].rows}
    assert errors[("petit", 404)] == "the server answered HTTP 404: the page is gone (earlier copies are kept)"
    assert errors[("casse", 200)].startswith("the feed could not be parsed")
    assert "private or loopback address" in errors[("prive", None)]
    assert counts["errors"] == 3


def test_the_archive_folder_is_chosen_per_run(tmp_path):
    from click.testing import CliRunner
    from claimline.cli import cli
    with LocalSite(SITE) as site:
        sources = tmp_path / "sources.yml"
        sources.write_text(f"sources:\n  - id: page\n    kind: urls\n    urls: ['{site.base_url}/article.html']\n"
                           "    allow_private: [127.0.0.1]\n")
        result = CliRunner().invoke(cli, ["crawl", "--sources", str(sources), "--db",
                                          str(tmp_path / "db" / "c.db"), "--archive", str(tmp_path / "night")])
    assert result.exit_code == 0, result.output
    assert [p.name[-8:] for p in (tmp_path / "night").iterdir()] == [".warc.gz"]
    assert not (tmp_path / "db" / "archive").exists()


def test_a_source_that_cannot_start_does_not_stop_the_others(tmp_path):
    db_path = str(tmp_path / "c.db")
    db = database.open_db(db_path)
    with LocalSite(SITE) as site:
        sources = [{"id": "typo", "kind": "urls", "urls": ["www.example.org/page.html"]},
                   {"id": "page", "kind": "urls", "urls": [f"{site.base_url}/article.html"],
                    "allow_private": ["127.0.0.1"]}]
        counts = crawl(db, db_path, sources, database.start_run(db, "crawl"), "claimline.crawler.settings.local")
    [error] = db["fetch_errors"].rows
    assert error["source_id"] == "typo"
    assert error["error"].startswith("the source could not be started: Missing scheme")
    assert counts["documents_new"] == 2  # the article and its embedded post

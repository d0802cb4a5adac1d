"""The revisit policy: a stored page is fetched again only when its feed entry changed,
when its revisit is due, or when asked (--recheck); feeds and sitemaps every time.

Requests are counted on the server (LocalSite.served); the passing of time is stored
timestamps moved back (conftest.move_back_in_time).
"""

import pytest
from click.testing import CliRunner

from claimline import db as database
from claimline.cli import cli
from claimline.localsite import Answer, LocalSite
from claimline.refresh import FAILED_SOURCES, crawl
from conftest import move_back_in_time

PAGES = ("alpha", "beta", "gamma")
UPDATED = "2021-04-07T09:00:00+02:00"


def article(name, news="La plateforme fonctionne de nouveau depuis ce matin."):
    paragraphs = [
        f"« Nous suivons la situation de près », a déclaré la direction de l'académie {name}.",
        news,
        "Les familles ont reçu un message expliquant les démarches à suivre pendant la panne,"
        " et les enseignants ont préparé des exercices à faire sans connexion.",
    ]
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Article {name}</title>'
            f"</head><body><article><h1>Article {name}</h1>"
            + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>")


def write_feed(folder, updated):
    """The feed, one entry a page of `updated` ({page: its updated date})."""
    items = "".join(
        f"<entry><title>Article {name}</title><id>urn:claimline-test:{name}</id>"
        f'<link href="{{base_url}}/{name}.html"/><updated>{date}</updated></entry>'
        for name, date in updated.items())
    (folder / "feed.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Flux de test</title><id>urn:claimline-test</id><updated>{UPDATED}</updated>"
        f"{items}</feed>", encoding="utf-8")


def write_sitemap(folder, lastmod):
    urls = "".join(f"<url><loc>{{base_url}}/{name}.html</loc><lastmod>{date}</lastmod></url>"
                   for name, date in lastmod.items())
    (folder / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>', encoding="utf-8")


@pytest.fixture
def site(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    for name in PAGES:
        (folder / f"{name}.html").write_text(article(name), encoding="utf-8")
    write_feed(folder, {name: UPDATED for name in PAGES})
    with LocalSite(folder) as served:
        yield served


def feed_source(site):
    return {"id": "flux", "kind": "feed", "url": f"{site.base_url}/feed.xml", "allow_private": True}


def night(db, db_path, site, sources, **settings):
    """One crawl; returns its counts and the paths of the pages the site served."""
    site.served.clear()
    counts = crawl(db, db_path, sources, database.start_run(db, "crawl"),
                   "claimline.crawler.settings.local", settings)
    return counts, sorted(s.path for s in site.served if s.path.endswith(".html"))


def documents(db):
    return {d["url"].rsplit("/", 1)[1]: d for d in db["documents"].rows}


def test_unchanged_pages_are_not_fetched_again_and_stay_as_they_were(site, fresh_db, db_path):
    sources = [feed_source(site)]
    first, fetched = night(fresh_db, db_path, site, sources)
    assert fetched == ["/alpha.html", "/beta.html", "/gamma.html"] and first["documents_new"] == 3
    before = documents(fresh_db)
    second, fetched = night(fresh_db, db_path, site, sources)
    assert fetched == []
    assert [s.path for s in site.served] == ["/robots.txt", "/feed.xml"]  # read every run
    assert second["pages_not_due"] == 3 and second["documents_gone"] == 0
    assert second[FAILED_SOURCES] == {}
    assert documents(fresh_db) == before  # neither seen nor gone: as they were


def test_a_feed_entry_updated_since_brings_its_page_again(site, fresh_db, db_path):
    sources = [feed_source(site)]
    night(fresh_db, db_path, site, sources)
    folder = site.folder
    (folder / "beta.html").write_text(article("beta", "La panne a duré toute la journée."), encoding="utf-8")
    (folder / "gamma.html").write_text(article("gamma", "Un correctif est attendu demain."), encoding="utf-8")
    write_feed(folder, {"alpha": UPDATED, "beta": "2021-04-07T17:30:00+02:00", "gamma": UPDATED})
    counts, fetched = night(fresh_db, db_path, site, sources)
    # gamma was edited too, but neither its feed entry nor its schedule says so yet
    assert fetched == ["/beta.html"] and counts["documents_changed"] == 1
    assert "toute la journée" in documents(fresh_db)["beta.html"]["text"]
    _, fetched = night(fresh_db, db_path, site, sources)
    assert fetched == []  # the new entry is the one stored now


def test_the_revisit_schedule_brings_pages_due_and_leaves_old_ones(site, fresh_db, db_path):
    sources = [feed_source(site)]
    night(fresh_db, db_path, site, sources)
    for name in PAGES:
        (site.folder / f"{name}.html").write_text(article(name, "Le service est rétabli."), encoding="utf-8")
    move_back_in_time(fresh_db, 2, "url like '%alpha.html'")       # hourly in its first hours: due
    move_back_in_time(fresh_db, 24 * 31, "url like '%beta.html'")  # older than 30 days: never
    counts, fetched = night(fresh_db, db_path, site, sources)
    assert fetched == ["/alpha.html"] and counts["documents_changed"] == 1
    assert counts["pages_not_due"] == 2
    docs = documents(fresh_db)
    assert docs["alpha.html"]["version"] == 2 and docs["beta.html"]["version"] == 1
    assert all(d["gone_at"] is None for d in docs.values())


def test_a_daily_visit_is_due_a_little_early(site, fresh_db, db_path):
    """A nightly cron reaches a page a few seconds before the day has passed."""
    sources = [feed_source(site)]
    night(fresh_db, db_path, site, sources)
    fresh_db.execute("update documents set first_seen_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', "
                     "'now', '-2 days'), last_seen_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', "
                     "'now', '-23 hours', '-59 minutes') where url like '%alpha.html'")
    fresh_db.execute("update documents set first_seen_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', "
                     "'now', '-2 days'), last_seen_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', "
                     "'now', '-12 hours') where url like '%beta.html'")
    _, fetched = night(fresh_db, db_path, site, sources)
    assert fetched == ["/alpha.html"]


def test_recheck_fetches_every_page_again(site, db_path, tmp_path, monkeypatch):
    sources = tmp_path / "sources.yml"
    sources.write_text(f"sources:\n  - id: flux\n    kind: feed\n    url: {site.base_url}/feed.xml\n"
                       f"    allow_private: true\n", encoding="utf-8")
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "claimline.crawler.settings.local")
    command = ["crawl", "--quiet", "--sources", str(sources), "--db", db_path]
    assert CliRunner().invoke(cli, command).exit_code == 0
    site.served.clear()
    result = CliRunner().invoke(cli, [*command, "--recheck"])
    assert result.exit_code == 0, result.output
    conditional = {s.path: s.status for s in site.served if "If-None-Match" in s.headers}
    assert conditional == {"/alpha.html": 304, "/beta.html": 304, "/gamma.html": 304}


def test_a_sitemap_lastmod_changed_brings_its_page_again(site, fresh_db, db_path):
    write_sitemap(site.folder, {name: "2021-04-07" for name in PAGES})
    sources = [{"id": "plan", "kind": "sitemap", "url": f"{site.base_url}/sitemap.xml",
                "allow_private": True}]
    night(fresh_db, db_path, site, sources)
    write_sitemap(site.folder, {"alpha": "2021-04-07", "beta": "2021-04-07", "gamma": "2021-04-08"})
    _, fetched = night(fresh_db, db_path, site, sources)
    assert fetched == ["/gamma.html"]


def test_a_source_whose_pages_were_not_due_answered_despite_a_failing_new_page(site, fresh_db, db_path):
    sources = [feed_source(site)]
    night(fresh_db, db_path, site, sources)
    write_feed(site.folder, {**{name: UPDATED for name in PAGES}, "delta": UPDATED})
    site.answers["/delta.html"] = [Answer(503)]
    counts, fetched = night(fresh_db, db_path, site, sources)
    assert set(fetched) == {"/delta.html"} and counts["errors"] == 1
    assert counts[FAILED_SOURCES] == {}
    assert fresh_db["sources"].get("flux")["consecutive_failures"] == 0

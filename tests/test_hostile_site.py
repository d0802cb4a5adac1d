"""Two nights of crawling a hostile site served from 127.0.0.1.

Night one meets every fault a newsroom's sources throw at a crawler; between the
nights an article is edited and a press release withdrawn. Nothing may be lost,
duplicated or crash, and every fault leaves one sentence in fetch_errors.
"""

import shutil
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from claimline import db as database
from claimline.localsite import HOLD, Answer, LocalSite
from claimline.refresh import RUN_COUNTS, crawl
from conftest import move_back_in_time

HOSTILE = Path(__file__).parent / "files" / "hostile"
MAX_SIZE = 100_000
# generous for pages on 127.0.0.1 under load; the slow page never answers (HOLD)
TIMEOUT = 3


def path_of(url):
    return "/" + url.split("/", 3)[3]


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    """Crawls the hostile site twice; returns the database, both runs' counts and ids,
    the requests the site answered on night two, and the folders used."""
    folder = tmp_path_factory.mktemp("hostile")
    site_dir = folder / "site"
    shutil.copytree(HOSTILE / "site", site_dir)
    (site_dir / "huge.html").write_text(
        "<html><body><p>" + "trop long " * (MAX_SIZE // 5) + "</p></body></html>", encoding="utf-8")
    db_path = str(folder / "hostile.db")
    archive = folder / "archive"
    settings = {"DOWNLOAD_MAXSIZE": MAX_SIZE, "DOWNLOAD_TIMEOUT": TIMEOUT,
                "CLAIMLINE_ARCHIVE_DIR": str(archive),
                "LOG_FILE": str(folder / "crawl.log"), "LOG_LEVEL": "WARNING"}
    with LocalSite(site_dir) as site:
        port = site.server.server_address[1]
        feed = site_dir / "feed.xml"
        feed.write_text(feed.read_text(encoding="utf-8").replace(
            "{private_url}", f"http://127.0.0.2:{port}"), encoding="utf-8")
        base = site.base_url
        local = ["127.0.0.1"]  # this site only: 127.0.0.2 stays refused
        sources = [
            {"id": "hostile", "kind": "feed", "url": f"{base}/feed.xml", "allow_private": local},
            {"id": "broken", "kind": "feed", "url": f"{base}/broken-feed.xml", "allow_private": local},
            {"id": "calm", "kind": "feed", "url": f"{base}/other-feed.xml", "allow_private": local},
            {"id": "linked", "kind": "urls", "allow_private": local,
             "urls": [f"{base}/dup.html?utm_campaign=partage#commentaires"]},
        ]
        site.answers.update({
            "/flaky.html": [Answer(502), None],
            "/loop-a.html": [Answer(302, {"Location": "/loop-b.html"})],
            "/loop-b.html": [Answer(302, {"Location": "/loop-a.html"})],
            "/slow.html": [Answer(200, body=b"<p>trop tard</p>", delay=HOLD)],
        })
        db = database.open_db(db_path)
        runs = []
        for night in (1, 2):
            if night == 2:
                site.overlay = HOSTILE / "night2"
                site.answers["/gone.html"] = [Answer(410)]
                site.served.clear()
                # what analysis does after night one: every text analysed
                db.execute("update documents set analyzed_hash = content_hash")
                # a day passes: every page of night one is due for its daily visit
                move_back_in_time(db, 24)
            run_id = database.start_run(db, "crawl")
            counts = crawl(db, db_path, sources, run_id, "claimline.crawler.settings.local", settings)
            database.finish_run(db, run_id, "ok", **{k: counts[k] for k in RUN_COUNTS if k in counts})
            runs.append((run_id, counts))
        served = list(site.served)
    return {"db": db, "runs": runs, "served": served, "folder": folder, "archive": archive,
            "base": base}


def documents(db):
    return {path_of(d["url"]): d for d in db["documents"].rows}


def errors(db, run_id):
    return {(path_of(e["url"]), e["source_id"]): e for e in db["fetch_errors"].rows_where(
        "run_id = ?", [run_id])}


def test_one_document_per_article_whatever_the_tracking_parameters(nights):
    assert set(documents(nights["db"])) == {
        "/edited.html", "/dup.html", "/flaky.html", "/gone.html", "/cp1252.html",
        "/fake-utf8.html", "/calm.html"}


def test_the_edited_article_has_two_versions(nights):
    db = nights["db"]
    edited = documents(db)["/edited.html"]
    versions = list(db["document_versions"].rows_where("document_id = ?", [edited["id"]],
                                                       order_by="version"))
    assert [v["version"] for v in versions] == [1, 2]
    assert "venues de l'étranger" in versions[0]["text"]
    assert "venues de l'étranger" not in versions[1]["text"]
    assert "Une plainte a été déposée" in edited["text"] and edited["version"] == 2


def test_unchanged_pages_are_revalidated_and_not_analysed_again(nights):
    db = nights["db"]
    conditional = {s.path: s for s in nights["served"] if "If-None-Match" in s.headers}
    assert conditional["/calm.html"].status == 304
    assert conditional["/dup.html"].status == 304
    assert conditional["/edited.html"].status == 200
    assert [d["url"] for d in database.documents_to_analyze(db)] == [documents(db)["/edited.html"]["url"]]
    _, second = nights["runs"][1]
    assert second["documents_changed"] == 1 and second["documents_new"] == 0


def test_a_withdrawn_page_is_marked_gone_never_deleted(nights):
    gone = documents(nights["db"])["/gone.html"]
    assert gone["gone_at"] is not None
    assert "retiré du site" in gone["text"]
    assert all(d["gone_at"] is None for path, d in documents(nights["db"]).items() if path != "/gone.html")


def test_wrong_and_missing_charsets_are_read_as_windows_1252(nights):
    docs = documents(nights["db"])
    assert "« Les élèves n'ont pas pu se connecter »" in docs["/cp1252.html"]["text"]
    assert "« Déjà vu », été, œuvre" in docs["/fake-utf8.html"]["text"]


def test_a_server_error_then_success_keeps_the_page(nights):
    flaky = documents(nights["db"])["/flaky.html"]
    assert flaky["version"] == 1 and "erreur 502" in flaky["text"]


def test_every_fault_has_its_sentence_each_night(nights):
    db = nights["db"]
    (first, first_counts), (second, _) = nights["runs"]
    night_one = {key: e["error"] for key, e in errors(db, first).items()}
    assert night_one == {
        ("/cp1252.html", "hostile"):
            "the page declares no charset and is not UTF-8: read as windows-1252",
        ("/fake-utf8.html", "hostile"):
            "the page declares the charset utf-8 but is not utf-8: read as windows-1252",
        ("/loop-a.html", "hostile"):
            "the page redirects in a loop (or through too many redirections)",
        ("/huge.html", "hostile"): "the page is larger than the size limit (100,000 bytes): not kept",
        ("/private.html", "hostile"):
            f"refused to fetch http://127.0.0.2:{nights['base'].rsplit(':', 1)[1]}/private.html: "
            "127.0.0.2 is a private or loopback address (allow_private on the source allows it)",
        ("/private-area/memo.html", "hostile"): "robots.txt forbids fetching this page",
        ("/slow.html", "hostile"): "the server did not answer in time",
        ("/broken-feed.xml", "broken"): night_one[("/broken-feed.xml", "broken")],
    }
    assert night_one[("/broken-feed.xml", "broken")].startswith("the feed could not be parsed: ")
    assert first_counts["errors"] == len(night_one)
    assert db["runs"].get(second)["documents_gone"] == 1
    night_two = errors(db, second)
    assert night_two[("/gone.html", "hostile")]["status"] == 410
    assert night_two[("/gone.html", "hostile")]["error"] == (
        "the server answered HTTP 410: the page is gone (earlier copies are kept)")
    # the charset notes are made again only for pages fetched again (not on a 304)
    assert set(night_two) == set(night_one) - {("/cp1252.html", "hostile"),
                                               ("/fake-utf8.html", "hostile")} \
        | {("/gone.html", "hostile")}


def test_no_traceback_in_the_crawl_log(nights):
    log = (nights["folder"] / "crawl.log").read_text(encoding="utf-8")
    assert "Traceback" not in log


def test_every_document_links_to_its_archived_capture(nights):
    db = nights["db"]
    archives = list(nights["archive"].glob("*.warc.gz"))
    assert len(archives) == 1 and archives[0].name[:4].isdigit()
    responses = {}
    with archives[0].open("rb") as f:
        for record in ArchiveIterator(f):
            if record.rec_type == "response":
                responses[record.rec_headers.get_header("WARC-Record-ID")] = (
                    record.rec_headers.get_header("WARC-Target-URI"),
                    record.http_headers.get_statuscode(), record.content_stream().read())
    statuses = [status for _, status, _ in responses.values()]
    assert {"200", "302", "304", "410", "502"} <= set(statuses)
    for doc in db["documents"].rows:
        assert doc["warc_file"] == archives[0].name
        url, status, body = responses[doc["warc_record_id"]]
        assert (url, status) == (doc["fetched_url"], "200")
        assert doc["title"].encode("cp1252" if "1252" in doc["url"] or "fake" in doc["url"]
                                   else "utf-8") in body
    edited = documents(db)["/edited.html"]
    captures = [v["warc_record_id"] for v in db["document_versions"].rows_where(
        "document_id = ?", [edited["id"]])]
    assert len(set(captures)) == 2

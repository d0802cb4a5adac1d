"""`claimline import` on small archives of each format, written for these tests."""

import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimline import db as database
from claimline.cli import cli
from tests.test_cli import assert_one_line_error

IMPORTS = Path(__file__).parent / "files" / "imports"
ARTICLE = Path(__file__).parent / "files" / "site" / "article.html"


def import_(db_path, path, *options):
    result = CliRunner().invoke(cli, ["import", str(path), "--db", db_path, *options])
    assert result.exit_code == 0, result.output
    return {d["url"]: d for d in database.open_db(db_path)["documents"].rows}


def test_twarc2_jsonl_with_authors_from_includes_and_no_retweets(db_path):
    docs = import_(db_path, IMPORTS / "twarc2.jsonl")
    assert set(docs) == {"https://twitter.com/mpaulin_test/status/1379400000000000001",
                         "https://twitter.com/cned/status/1379700000000000003"}
    denial = docs["https://twitter.com/mpaulin_test/status/1379400000000000001"]
    assert denial["author"] == "Michel Paulin (@mpaulin_test)"
    assert denial["text"].endswith("à distance & nous le regrettons.")
    assert (denial["kind"], denial["outlet"], denial["lang"]) == ("post", "Twitter", "fr")
    assert denial["published_at"] == "2021-04-06T16:21:00+00:00"
    assert denial["source_id"] == "import:twarc2.jsonl"


def test_x_account_archive_names_its_account(db_path):
    docs = import_(db_path, IMPORTS / "tweets.js", "--account", "cned")
    [(url, tweet)] = docs.items()
    assert url == "https://twitter.com/cned/status/1380000000000000004"
    assert tweet["published_at"] == "2021-04-08T14:32:00+00:00"
    assert "patience & de votre" in tweet["text"]


def test_mastodon_statuses_and_boosts(db_path):
    docs = import_(db_path, IMPORTS / "mastodon.json")
    assert docs["https://mastodon.test/@snes/110"]["text"] == \
        "Le ministère n'avait rien préparé.\nNous l'avions annoncé."
    assert docs["https://mastodon.test/@snes/110"]["author"] == "SNES-FSU (@snes@mastodon.test)"
    boosted = docs["https://mastodon.test/@fsu/900"]
    assert boosted["author"] == "FSU (@fsu@mastodon.test)"


def test_bluesky_thread_with_replies(db_path):
    docs = import_(db_path, IMPORTS / "bluesky-thread.json")
    assert {d["author"] for d in docs.values()} == {"OVHcloud (@ovhcloud.test)", "Un lecteur (@lecteur.test)"}


def write_warc(stream):
    writer = WARCWriter(stream, gzip=True)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        "https://petit-test.invalid/article.html?utm_source=twitter", "response",
        payload=BytesIO(ARTICLE.read_bytes()), http_headers=headers,
        warc_headers_dict={"WARC-Date": "2021-04-06T19:30:00Z"})
    writer.write_record(record)
    return record.rec_headers.get_header("WARC-Record-ID")


def check_archived_article(docs, record_id):
    article = docs["https://petit-test.invalid/article.html"]
    assert article["first_seen_at"] == "2021-04-06T19:30:00+00:00"  # the capture date
    assert article["warc_record_id"] == record_id
    assert "attaques venues de l'étranger" in article["text"]
    post = docs["https://twitter.com/mpaulin_test/status/1234567890123456789"]
    assert post["parent_id"] == article["id"]


def test_warc_pages_keep_their_capture_date(db_path, tmp_path):
    warc = tmp_path / "capture.warc.gz"
    with warc.open("wb") as f:
        record_id = write_warc(f)
    docs = import_(db_path, warc)
    check_archived_article(docs, record_id)
    assert docs["https://petit-test.invalid/article.html"]["warc_file"] == str(warc.resolve())


def test_wacz(db_path, tmp_path):
    buffer = BytesIO()
    record_id = write_warc(buffer)
    wacz = tmp_path / "capture.wacz"
    with zipfile.ZipFile(wacz, "w") as z:
        z.writestr("archive/data.warc.gz", buffer.getvalue())
        z.writestr("datapackage.json", "{}")
    check_archived_article(import_(db_path, wacz), record_id)


@pytest.mark.parametrize("name, words", [
    ("broken.jsonl", ["line 2 is not JSON"]),
    ("unknown.json", ["line 1 is in no format claimline imports", "twarc2"]),
    ("missing.jsonl", ["no such file"]),
    ("no-id.jsonl", ["line 1: a post lacks 'id'"]),
])
def test_bad_input_is_one_line_and_changes_nothing(db_path, name, words):
    result = CliRunner().invoke(cli, ["import", str(IMPORTS / name), "--db", db_path])
    assert_one_line_error(result, *words)
    assert not Path(db_path).exists()


def test_a_file_that_is_not_a_warc(db_path, tmp_path):
    fake = tmp_path / "fake.warc.gz"
    fake.write_bytes(b"this is not a warc file\n")
    assert_one_line_error(CliRunner().invoke(cli, ["import", str(fake), "--db", db_path]),
                          "not a readable WARC file")

import sqlite3
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimline import db as database
from claimline.cli import cli


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "claimline.db")


@pytest.fixture
def fresh_db(db_path):
    return database.open_db(db_path)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The demo pipeline, run once into a temporary database."""
    path = str(tmp_path_factory.mktemp("demo") / "demo.db")
    result = CliRunner().invoke(cli, ["demo", "--no-serve", "--db", path])
    assert result.exit_code == 0, result.output
    return path


XSS = "<img src=x onerror=alert(1)>"
HOSTILE_INCIDENT = "xss-incident"


def copy_db(source, target):
    """Copy a database that may be open elsewhere: a file copy would miss its WAL."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return str(target)


def move_back_in_time(db, hours, where="1"):
    """Documents first and last fetched `hours` earlier than stored, as if the time had
    passed since (what the revisit policy decides on)."""
    shift = f"-{hours} hours"
    db.execute(f"update documents set "
               f"first_seen_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', first_seen_at, ?), "
               f"last_seen_at = strftime('%Y-%m-%dT%H:%M:%S+00:00', last_seen_at, ?) where {where}",
               [shift, shift])


def archive_capture(db, db_path, document_id, html):
    """Record `html` as the WARC capture of a document's current text, where the
    crawler keeps it (archive/ next to the database); returns the record id."""
    for table in ("documents", "document_versions"):
        for column in ("warc_file", "warc_record_id"):
            if column not in db[table].columns_dict:
                db[table].add_column(column, str)
    folder = Path(db_path).parent / "archive"
    folder.mkdir(exist_ok=True)
    with open(folder / "2021-04.warc.gz", "ab") as f:
        writer = WARCWriter(f, gzip=True)
        record = writer.create_warc_record(
            "https://example.invalid/captured", "response", payload=BytesIO(html.encode()),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                          protocol="HTTP/1.1"))
        writer.write_record(record)
    capture = {"warc_file": "2021-04.warc.gz", "warc_record_id": record.rec_headers.get_header("WARC-Record-ID")}
    version = db["documents"].get(document_id)["version"]
    db["documents"].update(document_id, capture)
    db["document_versions"].update((document_id, version), capture)
    return capture["warc_record_id"]


@pytest.fixture(scope="session")
def hostile_db(demo_db, tmp_path_factory):
    """A copy of the demo database with a hostile document and statement: markup in
    every scraped field, a `javascript:` URL, a captured page with a script, a French
    word with accents, and an incident (HOSTILE_INCIDENT) whose name is markup."""
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    copy_db(demo_db, path)
    db = database.open_db(str(path))
    database.save_document(db, {
        "url": "javascript:alert(2)", "source_id": "cned-actualites", "kind": "article",
        "outlet": "<b>Evil outlet</b>", "title": f"Défaillance {XSS}", "published_at": "2021-04-07",
        "text": f"La défaillance du service. {XSS}"})
    document = next(db["documents"].rows_where("url = ?", ["javascript:alert(2)"]))
    database.replace_statements(db, document, [{
        "actor_id": None, "speaker_text": "<script>alert(3)</script>", "kind": "direct",
        "text": f"La défaillance du service. {XSS}", "said_at": "2021-04-07",
        "said_at_precision": "day", "start_char": 0, "end_char": 40, "confidence": 1.0,
        "claims": [{"claim_type": "blame", "target_text": f"{XSS}", "polarity": 1}]}])
    statement = next(db["statements"].rows_where("document_id = ?", [document["id"]]))
    db["incident_statements"].insert({"incident_id": "cned-avril-2021", "statement_id": statement["id"]})
    # an incident whose name is markup, holding the hostile statement
    database.save_incidents(db, [{"id": HOSTILE_INCIDENT, "name": f"Incident <script>alert(5)</script> {XSS}",
                                  "service": XSS, "start": "2021-04-07"}])
    db["incident_statements"].insert({"incident_id": HOSTILE_INCIDENT, "statement_id": statement["id"]})
    database.summarise_incident_links(db)
    archive_capture(db, path, document["id"],
                    f"<html><body><p>La défaillance du service.</p>{XSS}<script>alert(4)</script></body></html>")
    db.conn.close()
    return str(path)

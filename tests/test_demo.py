"""End to end: the demo pipeline tells the April 2021 story, in a database of its own."""

import sqlite3

from click.testing import CliRunner

from claimline import db as database
from claimline.cli import cli
from conftest import copy_db


def timeline(db_path):
    con = sqlite3.connect(db_path)
    con.row_factory = sqlite3.Row
    return [dict(r) for r in con.execute("select * from timeline order by said_at")]


def find(rows, speaker, claim, days):
    return [r for r in rows if r["speaker"] == speaker and claim in (r["claim_types"] or "")
            and (r["said_at"] or "")[:10] in days]


def test_minister_blames_the_host(demo_db):
    rows = find(timeline(demo_db), "Jean-Michel Blanquer", "blame", {"2021-04-06"})
    assert rows, "no blame by Jean-Michel Blanquer on 6 April"
    con = sqlite3.connect(demo_db)
    targets = {t for (t,) in con.execute(
        "select target_actor_id from claims where claim_type = 'blame' and statement_id in (%s)"
        % ",".join("?" * len(rows)), [r["statement_id"] for r in rows])}
    assert "ovhcloud" in targets


def test_ovhcloud_ceo_denies(demo_db):
    rows = find(timeline(demo_db), "Michel Paulin", "denial", {"2021-04-06"})
    assert rows
    assert {r["organisation"] for r in rows} == {"OVHcloud"}
    assert any(r["kind"] == "post" for r in rows), "the embedded tweet is a post of its account"


def test_cned_reports_cyberattacks(demo_db):
    assert find(timeline(demo_db), "CNED", "cyberattack", {"2021-04-06", "2021-04-07"})


def test_denial_is_linked_to_the_blame(demo_db):
    con = sqlite3.connect(demo_db)
    pairs = con.execute(
        "select d.speaker, b.speaker from disputes x "
        "join timeline d on d.statement_id = x.statement_id "
        "join timeline b on b.statement_id = x.disputed_statement_id").fetchall()
    assert ("Michel Paulin", "Jean-Michel Blanquer") in pairs


def test_size_and_dates_of_the_timeline(demo_db):
    rows = timeline(demo_db)
    assert len(rows) >= 15
    assert sum((r["said_at"] or "").startswith("2021-04") for r in rows) >= 10
    assert any(r["kind"] == "indirect" for r in rows)


def test_the_edited_article_has_two_versions(demo_db):
    con = sqlite3.connect(demo_db)
    versions = con.execute("select count(*) from document_versions v join documents d "
                           "on d.id = v.document_id where d.url like '%retour-normale-cned'").fetchone()
    assert versions == (2,)
    assert con.execute("select count(*) from runs where status = 'ok'").fetchone() == (2,)


def runs_and_documents(db_path):
    with sqlite3.connect(db_path) as con:
        return (con.execute("select count(*) from runs").fetchone()[0],
                con.execute("select count(*) from documents").fetchone()[0])


def test_the_demo_starts_from_empty_in_the_working_directory(demo_db, tmp_path, monkeypatch):
    copy_db(demo_db, tmp_path / "demo.db")
    db = database.open_db(str(tmp_path / "demo.db"))
    database.save_document(db, {"url": "https://demo.claimline.invalid/stale", "source_id": "cned-actualites",
                                "kind": "article", "title": "Stale", "text": "A page of an older demo."})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert f"built {tmp_path / 'demo.db'} " in result.output
    assert runs_and_documents(tmp_path / "demo.db") == runs_and_documents(demo_db)


def test_the_demo_keeps_its_database_when_asked(demo_db, tmp_path):
    kept = copy_db(demo_db, tmp_path / "kept.db")
    result = CliRunner().invoke(cli, ["demo", "--no-serve", "--keep", "--db", kept])
    assert result.exit_code == 0, result.output
    runs, documents = runs_and_documents(demo_db)
    assert runs_and_documents(kept) == (2 * runs, documents)

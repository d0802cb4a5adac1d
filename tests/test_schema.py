from claimline import db as database

CONTRACT_TABLES = {"sources", "runs", "documents", "document_versions", "fetch_errors", "actors",
                   "actor_aliases", "statements", "claims", "incidents", "incident_statements",
                   "disputes"}
TIMELINE_COLUMNS = ["said_at", "speaker", "organisation", "kind", "statement", "claim_types",
                    "outlet", "document_url", "published_at"]


def test_tables_view_and_fts(fresh_db):
    assert CONTRACT_TABLES <= set(fresh_db.table_names())
    assert "timeline" in fresh_db.view_names()
    assert [c.name for c in fresh_db["timeline"].columns][:len(TIMELINE_COLUMNS)] == TIMELINE_COLUMNS
    assert fresh_db["documents"].detect_fts() == "documents_fts"
    assert fresh_db["statements"].detect_fts() == "statements_fts"
    assert fresh_db.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_schema_is_idempotent(db_path):
    first = database.open_db(db_path)
    schema = first.schema
    first.close()
    assert database.open_db(db_path).schema == schema


def document(text, title="Titre"):
    return {"url": "https://example.org/a", "source_id": "s", "kind": "article",
            "title": title, "text": text, "published_at": "2021-04-06"}


def test_document_versions(fresh_db):
    assert database.save_document(fresh_db, document("Première version.")) == "new"
    assert database.save_document(fresh_db, document("Première version.")) == "unchanged"
    assert database.save_document(fresh_db, document("Deuxième version, corrigée.")) == "changed"
    row = fresh_db["documents"].get(database.document_id("https://example.org/a"))
    assert row["version"] == 2
    assert [v["version"] for v in fresh_db["document_versions"].rows] == [1, 2]


def test_french_full_text_search_folds_accents(fresh_db):
    database.save_document(fresh_db, document("Une défaillance de l'hébergeur, selon le ministre."))
    found = fresh_db["documents"].search("defaillance hebergeur")
    assert len(list(found)) == 1


def test_statements_keep_their_ids(fresh_db):
    database.save_document(fresh_db, document("« Nous ne sommes pas responsables », dit-il."))
    doc = next(fresh_db["documents"].rows)
    statement = {"text": "Nous ne sommes pas responsables", "kind": "direct", "start_char": 2,
                 "end_char": 33, "said_at": "2021-04-06",
                 "claims": [{"claim_type": "denial", "polarity": -1}]}
    database.replace_statements(fresh_db, doc, [dict(statement, claims=list(statement["claims"]))])
    first = [r["id"] for r in fresh_db["statements"].rows]
    database.replace_statements(fresh_db, doc, [dict(statement, claims=list(statement["claims"]))])
    assert [r["id"] for r in fresh_db["statements"].rows] == first
    assert fresh_db["claims"].count == 1
    row = next(fresh_db.query("select * from timeline"))
    assert row["claim_types"] == "denial"


def test_incidents_summarise_their_links_and_an_older_database_is_summarised_on_opening(db_path):
    db = database.open_db(db_path)
    database.save_document(db, document("« Ce n'est pas nous », dit-il. « Ni nous », dit-elle."))
    doc = next(db["documents"].rows)
    database.replace_statements(db, doc, [
        {"text": text, "speaker_text": speaker, "kind": "direct", "start_char": start, "end_char": start + 10,
         "said_at": said_at, "claims": [{"claim_type": claim_type, "target_text": "OVH"}]}
        for text, speaker, start, said_at, claim_type in [
            ("Ce n'est pas nous", "Paulin", 2, "2021-04-06T10:00", "denial"),
            ("Ni nous", "Klaba", 30, "2021-04-07", "denial"),
            ("Ni nous", "Klaba", 40, "2021-04-08T09:30", "denial"),
            ("Ni nous", "Klaba", 45, "2021-04-08T10:30", "figures")]])
    database.save_incidents(db, [{"id": "panne", "name": "Panne", "start": "2021-04-06"},
                                 {"id": "vide", "name": "Rien", "start": "2021-05-01"}])
    database.replace_links(db, [("panne", r["id"]) for r in db["statements"].rows], [])
    counted = {"statement_count": 4, "speaker_count": 2,
               "first_said_at": "2021-04-06T10:00", "last_said_at": "2021-04-08T10:30"}
    assert {k: db["incidents"].get("panne")[k] for k in counted} == counted
    assert db["incidents"].get("vide")["statement_count"] == 0
    lines = [(r["claim_type"], r["speaker"], r["target"], r["utterances"], r["first_said_at"])
             for r in db.query("select * from incident_claims order by first_said_at")]
    assert lines == [("denial", "Paulin", "OVH", 1, "2021-04-06T10:00"),
                     ("denial", "Klaba", "OVH", 2, "2021-04-07")]   # no line of figures
    speakers = [(r["day"], r["speaker_text"], r["utterances"])
                for r in db.query("select * from incident_speakers order by day, speaker_text")]
    assert speakers == [("2021-04-06", "Paulin", 1), ("2021-04-07", "Klaba", 1), ("2021-04-08", "Klaba", 2)]
    # a database made before the counts: they are filled when it is opened
    for column in counted:
        db.execute(f"alter table incidents drop column {column}")
    db["incident_claims"].drop()
    db["incident_speakers"].drop()
    db.close()
    db = database.open_db(db_path)
    assert {k: db["incidents"].get("panne")[k] for k in counted} == counted
    assert db["incident_claims"].count == 2 and db["incident_speakers"].count == 3

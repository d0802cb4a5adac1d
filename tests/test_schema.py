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

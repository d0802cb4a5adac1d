"""The SQLite schema and every write to it.

This module is the one place that knows table and column names: the crawler's
pipeline, the NLP stage and the CLI call the functions below. Tables and the
`timeline` view are a public contract (docs/schema.md documents every column);
add columns freely, rename none.
"""

import hashlib
import json
import sqlite3
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

import sqlite_utils
import yaml

ANONYMOUS_SPEAKERS = resources.files("claimline") / "anonymous_speakers.yml"
# French-friendly full-text search: accents folded, no English stemming.
FTS_TOKENIZE = "unicode61 remove_diacritics 2"

TABLES = {
    "sources": {
        "columns": {
            "id": str, "kind": str, "name": str, "owner": str, "document_kind": str,
            "lang": str, "url": str, "config": str, "allow_private": int,
            "last_success_at": str, "consecutive_failures": int, "last_error": str,
            "last_error_at": str,
        },
        "pk": "id",
    },
    "runs": {
        "columns": {
            "id": int, "command": str, "started_at": str, "finished_at": str, "status": str,
            "pages_fetched": int, "documents_new": int, "documents_changed": int,
            "statements_new": int, "errors": int, "duration_s": float, "documents_gone": int,
            "pages_not_due": int,
        },
        "pk": "id",
    },
    "documents": {
        "columns": {
            "id": str, "url": str, "fetched_url": str, "source_id": str, "kind": str,
            "outlet": str, "title": str, "author": str, "published_at": str,
            "published_at_source": str, "lang": str, "text": str, "content_hash": str,
            "first_seen_at": str, "last_seen_at": str, "version": int, "parent_id": str,
            "analyzed_hash": str, "gone_at": str, "etag": str, "last_modified": str,
            "warc_file": str, "warc_record_id": str, "feed_signature": str,
        },
        "pk": "id",
        "foreign_keys": [("parent_id", "documents", "id")],
    },
    "document_versions": {
        "columns": {
            "document_id": str, "version": int, "fetched_at": str, "content_hash": str,
            "title": str, "text": str, "warc_file": str, "warc_record_id": str,
        },
        "pk": ("document_id", "version"),
        "foreign_keys": [("document_id", "documents", "id")],
    },
    "fetch_errors": {
        "columns": {
            "id": int, "run_id": int, "source_id": str, "url": str, "status": int,
            "error": str, "at": str,
        },
        "pk": "id",
    },
    "actors": {
        "columns": {
            "id": str, "name": str, "type": str, "role": str, "organisation_id": str, "gender": str, "curated": int,
            "anonymous": int,
        },
        "pk": "id",
    },
    "actor_aliases": {
        "columns": {"actor_id": str, "alias": str, "alias_norm": str, "alias_kind": str},
        "pk": ("actor_id", "alias_norm"),
        "foreign_keys": [("actor_id", "actors", "id")],
    },
    "statements": {
        "columns": {
            "id": str, "document_id": str, "actor_id": str, "speaker_text": str, "text": str,
            "kind": str, "said_at": str, "said_at_precision": str, "said_at_text": str,
            "reporting_verb": str, "start_char": int, "end_char": int, "confidence": float,
            "lang": str, "utterance_id": str,
        },
        "pk": "id",
        "foreign_keys": [("document_id", "documents", "id"), ("actor_id", "actors", "id")],
    },
    "claims": {
        "columns": {
            "id": str, "statement_id": str, "claim_type": str, "target_actor_id": str,
            "target_text": str, "polarity": int, "cue": str,
        },
        "pk": "id",
        "foreign_keys": [("statement_id", "statements", "id"),
                         ("target_actor_id", "actors", "id")],
    },
    "incidents": {
        "columns": {
            "id": str, "name": str, "service": str, "start": str, "end": str,
            "keywords": str, "actors": str,
            # from the links, kept by summarise_incident_links
            "statement_count": int, "speaker_count": int, "first_said_at": str, "last_said_at": str,
        },
        "pk": "id",
    },
    "incident_claims": {
        # derived from the links by summarise_incident_links: who blamed whom, who denied
        "columns": {"incident_id": str, "claim_type": str, "speaker": str, "target": str,
                    "utterances": int, "first_said_at": str, "statement_id": str},
        "pk": ("incident_id", "claim_type", "speaker", "target"),
    },
    "incident_speakers": {
        # derived from the links by summarise_incident_links: utterances by day and speaker,
        # for the incident's chart and its speaker filter
        "columns": {"incident_id": str, "day": str, "actor_id": str, "speaker_text": str, "utterances": int},
        "pk": None,
    },
    "incident_statements": {
        "columns": {"incident_id": str, "statement_id": str},
        "pk": ("incident_id", "statement_id"),
        "foreign_keys": [("incident_id", "incidents", "id"),
                         ("statement_id", "statements", "id")],
    },
    "disputes": {
        "columns": {"statement_id": str, "disputed_statement_id": str, "reason": str},
        "pk": ("statement_id", "disputed_statement_id"),
        "foreign_keys": [("statement_id", "statements", "id"),
                         ("disputed_statement_id", "statements", "id")],
    },
    # Bookkeeping of the analysis: what utterances and links have not caught up with yet.
    # replace_statements fills the two pending tables in the transaction that replaces a
    # document's statements; the linking stage empties them in the one that catches up.
    "pending_statements": {
        # statements added or removed (the actor they had), whose neighbours are to regroup and relink
        "columns": {"statement_id": str, "actor_id": str},
        "pk": None,
    },
    "pending_incidents": {
        # incidents that lost links with removed statements: their summaries are to redo
        "columns": {"incident_id": str},
        "pk": "incident_id",
    },
    "analysis_state": {
        # what the stored utterances and links were computed from (the hash of incidents.yml…)
        "columns": {"key": str, "value": str},
        "pk": "key",
    },
}

# The claims an incident's summary names (timeline.incident_summary): who blamed whom,
# who denied, and the explanations put forward.
INCIDENT_CLAIM_TYPES = ("blame", "denial", "cyberattack")

INDEXES = [
    ("documents", ["source_id"]),
    ("documents", ["parent_id"]),
    ("documents", ["published_at"]),
    ("documents", ["fetched_url"]),
    ("documents", ["first_seen_at"]),     # /timeline.atom: the statements found last
    ("document_versions", ["version"]),   # edited_documents: only versions after the first
    ("statements", ["document_id"]),
    ("statements", ["said_at"]),
    ("statements", ["actor_id", "said_at"]),
    ("statements", ["utterance_id"]),
    ("statements", ["speaker_text"]),     # /timeline?speaker= for speakers not matched to an actor
    ("claims", ["statement_id"]),
    ("claims", ["claim_type"]),
    ("claims", ["target_actor_id", "claim_type"]),   # disputes: the blames aimed at a denial's speaker
    ("actors", ["organisation_id"]),                 # disputes: the members of a blamed organisation
    ("actor_aliases", ["alias_norm"]),
    ("incident_statements", ["statement_id"]),
    ("incident_claims", ["incident_id", "claim_type", "first_said_at"]),   # an incident's first blames, denials
    ("incident_speakers", ["incident_id", "day"]),
    ("disputes", ["disputed_statement_id"]),   # the disputes of the statements a page shows
    ("fetch_errors", ["run_id"]),
]

# The documents to analyse: a partial index holds only them, so a refresh that changed
# nothing reads no document.
TO_ANALYZE = "analyzed_hash is null or analyzed_hash != content_hash"

FTS = {
    "documents": ["title", "text"],
    "statements": ["text", "speaker_text"],
}

TIMELINE_SQL = """
select
  s.said_at as said_at,
  coalesce(a.name, s.speaker_text) as speaker,
  org.name as organisation,
  s.kind as kind,
  s.text as statement,
  (select group_concat(claim_type, ', ') from
     (select distinct claim_type from claims c where c.statement_id = s.id order by claim_type)
  ) as claim_types,
  d.outlet as outlet,
  case when parent.id is not null then coalesce(parent.fetched_url, parent.url)
       when d.kind = 'post' then d.url
       else coalesce(d.fetched_url, d.url) end as document_url,
  d.published_at as published_at,
  s.said_at_precision as said_at_precision,
  s.said_at_text as said_at_text,
  s.speaker_text as speaker_text,
  s.actor_id as actor_id,
  s.id as statement_id,
  s.document_id as document_id,
  case when d.parent_id is not null then d.url end as post_url,
  coalesce(parent.url, d.url) as canonical_url,
  s.utterance_id as utterance_id,
  coalesce(a.anonymous, 0) as speaker_anonymous
from statements s
join documents d on d.id = s.document_id
left join documents parent on parent.id = d.parent_id
left join actors a on a.id = s.actor_id
left join actors org on org.id = a.organisation_id
"""


def now_iso():
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def short_hash(*parts):
    """Stable id from its parts: re-running a stage never duplicates rows."""
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def open_db(path):
    """Open (and create or upgrade) the database at `path`."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("pragma journal_mode = wal")
    # With WAL, NORMAL still never corrupts nor half-applies a transaction; it skips the
    # fsync of every commit, which made saving a crawled page ~7 ms instead of ~1 ms.
    db.execute("pragma synchronous = normal")
    db.execute("pragma foreign_keys = on")
    db.execute("pragma busy_timeout = 10000")
    # a 64 MiB page cache (2 MiB by default; it grows only as pages are read): writing a
    # million dispute links spilled the default one, and took twice as long
    db.execute("pragma cache_size = -65536")
    ensure_schema(db)
    return db


def documents_not_from(path, source_ids):
    """How many documents of the database file at `path` come from none of `source_ids`
    (imported ones included); None when the file is not a claimline database."""
    try:
        db = sqlite_utils.Database(path)
        tables = db.table_names()
    except sqlite3.DatabaseError:
        return None
    if not tables:
        return 0
    if "documents" not in tables:
        return None
    marks = ", ".join("?" * len(source_ids))
    return db.execute(f"select count(*) from documents where source_id is null "
                      f"or source_id not in ({marks})", list(source_ids)).fetchone()[0]


def ensure_schema(db):
    """Create missing tables, columns, indexes, FTS and views; idempotent."""
    with db.atomic():
        summarise = False   # what is derived from incident links is missing
        for name, spec in TABLES.items():
            table = db[name]
            if not table.exists():
                table.create(spec["columns"], pk=spec["pk"],
                             foreign_keys=spec.get("foreign_keys", []))
                summarise = summarise or name in ("incident_claims", "incident_speakers")
            else:
                missing = {c: t for c, t in spec["columns"].items() if c not in table.columns_dict}
                for column, col_type in missing.items():
                    table.add_column(column, col_type)
                if name == "actors" and "anonymous" in missing:
                    mark_anonymous(db)
                summarise = summarise or (name == "incidents" and "statement_count" in missing)
        if summarise:
            summarise_incident_links(db)
        for table, columns in INDEXES:
            db[table].create_index(columns, if_not_exists=True)
        db.execute(f"create index if not exists documents_to_analyze on documents (published_at, id) "
                   f"where {TO_ANALYZE}")
    for table, columns in FTS.items():
        if not db[table].detect_fts():
            db[table].enable_fts(columns, tokenize=FTS_TOKENIZE, create_triggers=True)
    with db.atomic():
        db.execute("drop view if exists timeline")
        db.execute(f"create view timeline as {TIMELINE_SQL}")


# -- sources and runs ---------------------------------------------------------

def save_sources(db, sources):
    with db.atomic():
        for source in sources:
            db["sources"].upsert({
                "id": source["id"], "kind": source["kind"], "name": source.get("name"),
                "owner": source.get("owner"), "document_kind": source.get("document_kind"),
                "lang": source.get("lang"), "url": source.get("url"),
                "config": json.dumps(source, ensure_ascii=False),
                "allow_private": int(bool(source.get("allow_private"))),
            }, pk="id")


def start_run(db, command):
    """A new `running` run. Callers hold the database's lock (`claimline.lock`), so a run
    still `running` was killed before it could finish: it is marked `interrupted`."""
    with db.atomic():
        db.execute("update runs set status = 'interrupted' where status = 'running'")
        return db["runs"].insert({"command": command, "started_at": now_iso(),
                                  "status": "running"}).last_pk


def finish_run(db, run_id, status, **counts):
    run = db["runs"].get(run_id)
    started = datetime.fromisoformat(run["started_at"])
    finished = datetime.now(timezone.utc).replace(microsecond=0)
    with db.atomic():
        db["runs"].update(run_id, {
            "finished_at": finished.isoformat(), "status": status,
            "duration_s": (finished - started).total_seconds(), **counts,
        })


def record_source_health(db, run_id, source_ids, listed=()):
    """After a crawl: a source failed when it had fetch errors and no page of it was seen
    (fetched, or in `listed`: listed again but not due for a visit).

    A failure adds one to `consecutive_failures`; anything else is a success and sets
    it back to 0. The last error is kept either way. Returns {source id: its last
    error} of the sources that failed, in `source_ids` order.
    """
    started_at = db["runs"].get(run_id)["started_at"]
    failed = {}
    with db.atomic():
        for source_id in source_ids:
            last_error = next(db.query(
                "select error, at from fetch_errors where run_id = ? and source_id = ? "
                "order by id desc limit 1", [run_id, source_id]), None)
            seen = next(db.query(
                "select 1 from documents where source_id = ? and last_seen_at >= ? limit 1",
                [source_id, started_at]), None)
            health = {"last_error": last_error["error"], "last_error_at": last_error["at"]} \
                if last_error else {}
            if last_error and not seen and source_id not in listed:
                failed[source_id] = last_error["error"]
                db.execute("update sources set consecutive_failures = "
                           "coalesce(consecutive_failures, 0) + 1 where id = ?", [source_id])
            else:
                health.update(consecutive_failures=0, last_success_at=now_iso())
            db["sources"].update(source_id, health)
    return failed


def source_health(db):
    return list(db.query(
        "select id, last_success_at, coalesce(consecutive_failures, 0) as consecutive_failures, "
        "last_error, last_error_at from sources order by id"))


def last_runs(db, limit):
    return list(db.query("select * from runs order by id desc limit ?", [limit]))


def compact(path):
    """Fold the WAL into the database file and rebuild it without free pages.

    Returns (bytes before, bytes after), counting the database and its WAL."""
    def size():
        return sum(p.stat().st_size for p in (Path(path), Path(f"{path}-wal")) if p.exists())
    before = size()
    db = sqlite_utils.Database(path)
    db.execute("pragma wal_checkpoint(truncate)")
    db.vacuum()
    db.execute("pragma wal_checkpoint(truncate)")
    db.close()
    return before, size()


def record_fetch_error(db, run_id, source_id, url, status, error):
    with db.atomic():
        db["fetch_errors"].insert({"run_id": run_id, "source_id": source_id, "url": url,
                                   "status": status, "error": error, "at": now_iso()})


# -- documents ----------------------------------------------------------------

def document_id(url):
    return short_hash(url)


def content_hash(title, text):
    return hashlib.sha256(f"{title or ''}\n{text or ''}".encode("utf-8")).hexdigest()


def save_document(db, doc):
    """Insert or update one fetched document; returns "new", "changed" or "unchanged".

    A changed text bumps `version` and adds a row to `document_versions`; an
    unchanged one only moves `last_seen_at` and keeps the HTTP validators and the
    feed's signature of the page current. Either way a document marked gone is back.
    """
    fetched_at = doc.get("fetched_at") or now_iso()
    doc_id = document_id(doc["url"])
    digest = content_hash(doc.get("title"), doc.get("text"))
    fields = {k: doc.get(k) for k in (
        "url", "fetched_url", "source_id", "kind", "outlet", "title", "author",
        "published_at", "published_at_source", "lang", "text", "parent_id",
        "etag", "last_modified", "warc_file", "warc_record_id")}
    seen = {"last_seen_at": fetched_at, "gone_at": None,
            "etag": doc.get("etag"), "last_modified": doc.get("last_modified")}
    with db.atomic():
        existing = next(db.query("select * from documents where id = ?", [doc_id]), None)
        # a page reached from a listing keeps what its feed said of it last
        seen["feed_signature"] = doc.get("feed_signature") or (existing or {}).get("feed_signature")
        if existing and existing["content_hash"] == digest:
            if not existing["parent_id"]:  # a post first met on its account, then embedded
                seen["parent_id"] = doc.get("parent_id")
            db.execute(f"update documents set {', '.join(f'[{c}] = ?' for c in seen)} where id = ?",
                       [*seen.values(), doc_id])
            return "unchanged"
        version = existing["version"] + 1 if existing else 1
        row = {**fields, **seen, "id": doc_id, "content_hash": digest, "version": version,
               "first_seen_at": existing["first_seen_at"] if existing else fetched_at}
        if existing:
            # Keep what the new fetch could not tell (an edit rarely removes the date).
            for key in ("published_at", "published_at_source", "author", "parent_id"):
                row[key] = row[key] or existing[key]
        if existing:
            db.execute(f"update documents set {', '.join(f'[{c}] = ?' for c in row)} where id = ?",
                       [*row.values(), doc_id])
        else:
            insert_row(db, "documents", row)
        insert_row(db, "document_versions", {
            "document_id": doc_id, "version": version, "fetched_at": fetched_at,
            "content_hash": digest, "title": doc.get("title"), "text": doc.get("text"),
            "warc_file": doc.get("warc_file"), "warc_record_id": doc.get("warc_record_id"),
        })
    return "changed" if existing else "new"


def insert_row(db, table, row):
    """Plain INSERT of a dict whose keys are columns: the crawler saves a page per call, and
    sqlite-utils' insert/upsert read the table's schema each time (1 ms of the 1.5 a new page cost)."""
    db.execute(f"insert into [{table}] ({', '.join(f'[{c}]' for c in row)}) "
               f"values ({', '.join('?' * len(row))})", list(row.values()))


def page_validators(db):
    """{fetched URL: (ETag, Last-Modified)} of the pages fetched before, for conditional requests."""
    return {row["fetched_url"]: (row["etag"], row["last_modified"]) for row in db.query(
        "select fetched_url, etag, last_modified from documents "
        "where fetched_url is not null and (etag is not null or last_modified is not null)")}


def page_visits(db):
    """{URL: (first_seen_at, last_seen_at, feed_signature)} of the documents fetched before,
    under both their fetched and canonical URLs: what the revisit policy decides on."""
    visits = {}
    for row in db.query("select url, fetched_url, first_seen_at, last_seen_at, feed_signature "
                        "from documents where last_seen_at is not null"):
        visit = (row["first_seen_at"], row["last_seen_at"], row["feed_signature"])
        visits[row["url"]] = visit
        if row["fetched_url"]:
            visits[row["fetched_url"]] = visit
    return visits


def mark_page_unchanged(db, fetched_url, fetched_at, feed_signature=None):
    """A page answered 304 Not Modified: its documents were seen, nothing else changes
    but what its feed says of it now."""
    with db.atomic():
        db.execute("update documents set last_seen_at = ?, gone_at = null, "
                   "feed_signature = coalesce(?, feed_signature) where fetched_url = ?",
                   [fetched_at, feed_signature, fetched_url])


def mark_page_gone(db, fetched_url, at):
    """A page answered 404 or 410: its documents are marked gone (since `at`), never deleted."""
    with db.atomic():
        db.execute("update documents set gone_at = coalesce(gone_at, ?) "
                   "where fetched_url = ? or url = ?", [at, fetched_url, fetched_url])


def documents_to_analyze(db):
    return list(db.query(f"select * from documents where {TO_ANALYZE} order by published_at, id"))


# -- actors -------------------------------------------------------------------

def generic_speaker_rules():
    rules = yaml.safe_load(ANONYMOUS_SPEAKERS.read_text(encoding="utf-8"))
    return {key: {word for words in by_lang.values() for word in words} for key, by_lang in rules.items()}


GENERIC_SPEAKERS = generic_speaker_rules()


def is_anonymous(name):
    """Whether a speaker's name is generic rather than a name ("un professeur d'histoire",
    "Plusieurs professeurs", "les parents"): rules in anonymous_speakers.yml."""
    folded = " ".join((name or "").lower().replace("’", "'").split())
    if not folded:
        return False
    if any(folded == d or folded.startswith(d + " ") or (d.endswith("'") and folded.startswith(d))
           for d in GENERIC_SPEAKERS["determiners"]):
        return True
    for article in GENERIC_SPEAKERS["definite_articles"]:
        rest = folded[len(article):].lstrip() if folded.startswith(article if article.endswith("'") else article + " ") else None
        if rest and rest.split()[0].rstrip("s") in GENERIC_SPEAKERS["generic_nouns"]:
            return True
    return False


def mark_anonymous(db):
    """Set `actors.anonymous` of every actor (curated ones are named)."""
    db.conn.executemany("update actors set anonymous = ? where id = ?", [
        (int(not row["curated"] and is_anonymous(row["name"])), row["id"])
        for row in db.query("select id, name, curated from actors")])


def save_actor(db, actor, aliases):
    """Upsert an actor with its aliases: [(alias, alias_norm, alias_kind)]; an actor
    found in text is marked anonymous when its name is generic."""
    actor = {**actor, "anonymous": int(not actor.get("curated") and is_anonymous(actor.get("name")))}
    db["actors"].upsert(actor, pk="id", alter=True)
    for alias, alias_norm, kind in aliases:
        db["actor_aliases"].insert(
            {"actor_id": actor["id"], "alias": alias, "alias_norm": alias_norm,
             "alias_kind": kind}, pk=("actor_id", "alias_norm"), ignore=True)


def actor_aliases(db):
    return list(db.query(
        "select a.*, al.alias_norm, al.alias_kind from actor_aliases al "
        "join actors a on a.id = al.actor_id"))


# -- statements ---------------------------------------------------------------

def replace_statements(db, document, statements):
    """Replace the statements of one analysed document, in one transaction.

    `statements` are dicts with the statement columns plus `claims` (a list of
    claim dicts). Ids derive from document, offsets, text and speaker, so an unchanged
    document keeps its statement ids.
    """
    doc_id = document["id"]
    with db.atomic():
        removed = list(db.query("select id, actor_id from statements where document_id = ?", [doc_id]))
        old = [r["id"] for r in removed]
        if old:
            marks = ",".join("?" * len(old))
            db.execute(f"insert or ignore into pending_incidents (incident_id) select incident_id "
                       f"from incident_statements where statement_id in ({marks})", old)
            db.execute(f"delete from disputes where statement_id in ({marks}) "
                       f"or disputed_statement_id in ({marks})", old + old)
            db.execute(f"delete from incident_statements where statement_id in ({marks})", old)
            db.execute(f"delete from incident_claims where statement_id in ({marks})", old)
            db.execute(f"delete from claims where statement_id in ({marks})", old)
            db.execute("delete from statements where document_id = ?", [doc_id])
        claims = []
        for statement in statements:
            statement["id"] = short_hash(doc_id, statement["start_char"], statement["end_char"],
                                         statement["text"], statement.get("speaker_text"))
            statement["document_id"] = doc_id
            statement["utterance_id"] = statement["id"]   # its own, until grouped with others
            for claim in statement.pop("claims", []):
                claim["statement_id"] = statement["id"]
                claim["id"] = short_hash(statement["id"], claim["claim_type"],
                                         claim.get("target_actor_id"))
                claims.append(claim)
        db["statements"].insert_all(statements, pk="id", replace=True)
        db["claims"].insert_all(claims, pk="id", replace=True)
        db.conn.executemany("insert into pending_statements (statement_id, actor_id) values (?, ?)",
                            [(r["id"], r["actor_id"]) for r in removed]
                            + [(s["id"], s.get("actor_id")) for s in statements])
        db["documents"].update(doc_id, {"analyzed_hash": document["content_hash"]})
    return len(old), len(statements)


def pending_changes(db):
    """What utterances and links have not caught up with: the statements added or removed
    (rows of statement_id and actor_id; a statement replaced by one of the same id is there
    twice, with the actor of each) and the ids of the incidents that lost links."""
    statements = list(db.query("select statement_id, actor_id from pending_statements"))
    incidents = [r["incident_id"] for r in db.query("select incident_id from pending_incidents")]
    return statements, incidents


def clear_pending(db):
    db.execute("delete from pending_statements")
    db.execute("delete from pending_incidents")


def analysis_state(db, key):
    row = next(db.query("select value from analysis_state where key = ?", [key]), None)
    return row["value"] if row else None


def set_analysis_state(db, key, value):
    db.execute("insert or replace into analysis_state (key, value) values (?, ?)", [key, value])


def save_utterances(db, statements):
    """Write the utterance and the date grouping gave each of `statements` (dicts with
    id, utterance_id, said_at, said_at_precision, said_at_text)."""
    db.conn.executemany(
        "update statements set utterance_id = ?, said_at = ?, said_at_precision = ?, said_at_text = ? "
        "where id = ?", [(s["utterance_id"], s["said_at"], s["said_at_precision"], s["said_at_text"], s["id"])
                         for s in statements])


def give_own_utterances(db):
    """Statements of no speaker are each their own utterance."""
    db.execute("update statements set utterance_id = id where actor_id is null and utterance_id is not id")


def timeline_with_fetched_urls(db):
    """Every `timeline` row plus `fetched_url`: the URL the document (or, for an
    embedded post, its article) was fetched from, which evaluation maps to pages."""
    return list(db.query(
        "select t.*, coalesce(parent.fetched_url, d.fetched_url) as fetched_url from timeline t "
        "join documents d on d.id = t.document_id "
        "left join documents parent on parent.id = d.parent_id"))


# -- incidents and disputes ---------------------------------------------------

def save_incidents(db, incidents):
    with db.atomic():
        for incident in incidents:
            db["incidents"].upsert({
                "id": incident["id"], "name": incident["name"],
                "service": incident.get("service"), "start": str(incident["start"]),
                "end": str(incident["end"]) if incident.get("end") else None,
                "keywords": json.dumps(incident.get("keywords", []), ensure_ascii=False),
                "actors": json.dumps(incident.get("actors", []), ensure_ascii=False),
            }, pk="id")


def replace_links(db, incident_links, disputes):
    """Replace the derived incident and dispute links in one transaction."""
    with db.atomic():
        db.execute("delete from incident_statements")
        db.execute("delete from disputes")
        insert_links(db, incident_links, disputes)
        summarise_incident_links(db)


def replace_links_of(db, statement_ids, incident_links, disputes, incident_ids=()):
    """Replace the incident and dispute links of `statement_ids` (as either side of a
    dispute) in one transaction, and the summaries of the incidents they leave or join
    and of `incident_ids`."""
    ids = json.dumps(sorted(statement_ids))
    with db.atomic():
        left = [r["incident_id"] for r in db.query(
            "select distinct incident_id from incident_statements "
            "where statement_id in (select value from json_each(?))", [ids])]
        db.execute("delete from incident_statements where statement_id in (select value from json_each(?))", [ids])
        db.execute("delete from disputes where statement_id in (select value from json_each(?))", [ids])
        db.execute("delete from disputes where disputed_statement_id in (select value from json_each(?))", [ids])
        insert_links(db, incident_links, disputes)
        summarise_incident_links(db, {*incident_ids, *left, *(i for i, _ in incident_links)})


def insert_links(db, incident_links, disputes):
    db.conn.executemany("insert or ignore into incident_statements (incident_id, statement_id) values (?, ?)",
                        incident_links)
    db.conn.executemany("insert or ignore into disputes (statement_id, disputed_statement_id, reason) "
                        "values (?, ?, ?)", disputes)


def summarise_incident_links(db, incident_ids=None):
    """What the site shows of each incident, from incident_statements: its statement and
    speaker counts and the first and last said_at of its statements (in `incidents`), and
    its claims of INCIDENT_CLAIM_TYPES by speaker and target, counted on utterances (first
    reports), with the first one (`incident_claims`), and its utterances by day and
    speaker (`incident_speakers`). The home and incident pages read them instead of a big
    incident's ten thousand statements; the timeline walks a big
    incident's statements between its first and last said_at. Whatever writes links calls
    this in the same transaction (replace_links does). Only the incidents of
    `incident_ids` when given."""
    params = [] if incident_ids is None else [json.dumps(sorted(incident_ids))]

    def only(column, keyword):   # the incidents of `incident_ids`, when given
        return f"{keyword} {column} in (select value from json_each(?))" if params else ""
    db.execute(f"""update incidents set (statement_count, speaker_count, first_said_at, last_said_at) = (
        select count(*), count(distinct coalesce(s.actor_id, s.speaker_text)), min(s.said_at), max(s.said_at)
        from incident_statements x join statements s on s.id = x.statement_id
        where x.incident_id = incidents.id) {only('id', 'where')}""", params)
    marks = ",".join("?" * len(INCIDENT_CLAIM_TYPES))
    db.execute(f"delete from incident_claims {only('incident_id', 'where')}", params)
    # min() picks the statement of its row: the group's first said; the unary + keeps the index
    # of claim types (every claim of the site's types) out, the links lead
    db.execute(f"""insert into incident_claims
        select x.incident_id, c.claim_type, coalesce(a.name, s.speaker_text) as speaker,
          coalesce(t.name, c.target_text) as target, count(*), min(s.said_at), s.id
        from incident_statements x
        join claims c on c.statement_id = x.statement_id
        join statements s on s.id = x.statement_id and (s.utterance_id is null or s.utterance_id = s.id)
        left join actors a on a.id = s.actor_id
        left join actors t on t.id = c.target_actor_id
        where +c.claim_type in ({marks}) {only('x.incident_id', 'and')}
        group by x.incident_id, c.claim_type, speaker, target""", [*INCIDENT_CLAIM_TYPES, *params])
    db.execute(f"delete from incident_speakers {only('incident_id', 'where')}", params)
    # a speaker is an actor, or for statements of no actor the name as written
    db.execute(f"""insert into incident_speakers
        select x.incident_id, substr(s.said_at, 1, 10), s.actor_id,
          case when s.actor_id is null then s.speaker_text end, count(*)
        from incident_statements x
        join statements s on s.id = x.statement_id and (s.utterance_id is null or s.utterance_id = s.id)
        {only('x.incident_id', 'where')}
        group by 1, 2, 3, 4""", params)

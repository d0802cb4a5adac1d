"""Where a statement or a document comes from: what the row pages show above the row."""

import difflib
import re

from claimline.timeline import claims_of
from claimline.titles import read_document

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def text_diff(before, after):
    """[(op, text)] with op "equal", "delete" or "insert", word by word."""
    a, b = TOKEN.findall(before or ""), TOKEN.findall(after or "")
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace") and i2 > i1:
            parts.append(("equal" if op == "equal" else "delete", "".join(a[i1:i2])))
        if op in ("insert", "replace") and j2 > j1:
            parts.append(("insert", "".join(b[j1:j2])))
    return parts


async def one(db, sql, params):
    row = (await db.execute(sql, params)).first()
    return dict(row) if row else None


async def document_origin(db, document_id):
    """The document with its source, parent article and versions (with their WARC
    captures when the database keeps them)."""
    document = await one(db, """select d.*, s.name as source_name, s.kind as source_kind, s.url as source_url
        from documents d left join sources s on s.id = d.source_id where d.id = :id""",
        {"id": document_id})
    if document is None:
        return None
    if document["parent_id"]:
        document["parent"] = await read_document(db, document["parent_id"])
    versions = [dict(r) for r in await db.execute(
        "select * from document_versions "
        "where document_id = :id order by version", {"id": document_id})]
    for before, after in zip(versions, versions[1:]):
        after["title_changed"] = before["title"] != after["title"]
        after["diff"] = text_diff(before["text"], after["text"])
    document["versions"] = versions
    return document


async def statement_provenance(db, statement_id):
    statement = await one(db, "select * from timeline where statement_id = :id", {"id": statement_id})
    if statement is None:
        return None
    return {
        "statement": statement,
        "speaker": await one(db, "select * from actors where id = :id", {"id": statement["actor_id"]}),
        "claims": (await claims_of(db, [statement_id])).get(statement_id, []),
        "document": await document_origin(db, statement["document_id"]),
        "incidents": [dict(r) for r in await db.execute(
            "select i.id, i.name from incident_statements x join incidents i on i.id = x.incident_id "
            "where x.statement_id = :id", {"id": statement_id})],
        "denies": [dict(r) for r in await db.execute(
            "select t.* from disputes x join timeline t on t.statement_id = x.disputed_statement_id "
            "where x.statement_id = :id order by t.said_at", {"id": statement_id})],
        "denied_by": [dict(r) for r in await db.execute(
            "select t.* from disputes x join timeline t on t.statement_id = x.statement_id "
            "where x.disputed_statement_id = :id order by t.said_at", {"id": statement_id})],
    }


async def document_provenance(db, document_id):
    document = await document_origin(db, document_id)
    if document is None:
        return None
    return {
        "document": document,
        "statements": (await db.execute(
            "select count(*) from statements where document_id = :id", {"id": document_id})).single_value(),
        "posts": [dict(r) for r in await db.execute(
            "select id, url, author from documents where parent_id = :id order by url", {"id": document_id})],
    }

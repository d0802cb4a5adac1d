"""One search box over statements and documents (FTS5, `unicode61 remove_diacritics 2`).

The tokenizer folds accents ("defaillance" finds "défaillance") but has no French
stemmer, so each word of three letters or more is searched as a prefix: "cyberattaque"
finds "cyberattaques". Shorter words (l', d', de) stay exact, or they would match
half the corpus.
"""

import re

from claimline.titles import POST_TITLE_CHARS

WORD = re.compile(r"\w+")
PREFIX_MIN = 3
LIMIT = 50
# Ranking by relevance (bm25) costs 2 to 5 µs a match: beyond this many matches (a word
# in 7 % of a million statements matches 70,000), the latest found come first instead,
# which FTS5 gives for free by walking its rowids backwards.
RANKED_MATCHES = 5_000
# Control characters that cannot occur in text mark the matches in FTS5 snippets; the
# template splits on them and escapes each part.
MARK_START, MARK_END = "\x02", "\x03"


def fts_query(q):
    """The user's words as an FTS5 query: quoted (no FTS syntax gets through), ANDed,
    long words as prefixes. Empty when there is no word."""
    words = WORD.findall(q or "")
    return " ".join(f'"{w}"*' if len(w) >= PREFIX_MIN else f'"{w}"' for w in words)


def highlighted(snippet):
    """[(text, is_match)] from a snippet marked with MARK_START/MARK_END."""
    parts = []
    for i, chunk in enumerate(re.split(f"[{MARK_START}{MARK_END}]", snippet or "")):
        if chunk:
            parts.append((chunk, i % 2 == 1))
    return parts


async def matches(db, fts_table, match):
    """(how many rows of `fts_table` match, the ORDER BY for them)."""
    count = (await db.execute(f"select count(*) from {fts_table} where {fts_table} match :match",
                              {"match": match})).first()[0]
    return count, "f.rank" if count <= RANKED_MATCHES else "f.rowid desc"


async def search(db, q, limit=LIMIT):
    """Statements and documents matching `q` (the first `limit` of each, best or latest
    first) and how many match."""
    match = fts_query(q)
    if not match:
        return {"statements": [], "documents": [], "statement_count": 0, "document_count": 0}
    snippet = f"'{MARK_START}', '{MARK_END}', '…', 24"
    statement_count, order = await matches(db, "statements_fts", match)
    statements = [dict(r) for r in await db.execute(
        f"""select t.*, snippet(statements_fts, 0, {snippet}) as snippet
        from statements_fts f join statements s on s.rowid = f.rowid
        join timeline t on t.statement_id = s.id
        where statements_fts match :match order by {order} limit {limit}""", {"match": match})]
    document_count, order = await matches(db, "documents_fts", match)
    documents = [dict(r) for r in await db.execute(
        f"""select d.id, d.url, d.title, d.outlet, d.kind, d.author, d.published_at,
          substr(d.text, 1, {POST_TITLE_CHARS}) as text,
          snippet(documents_fts, 1, {snippet}) as snippet
        from documents_fts f join documents d on d.rowid = f.rowid
        where documents_fts match :match order by {order} limit {limit}""", {"match": match})]
    for row in statements + documents:
        row["snippet"] = highlighted(row["snippet"])
    return {"statements": statements, "documents": documents,
            "statement_count": statement_count, "document_count": document_count}

"""The statements behind /timeline and /timeline.atom: URL filters, chart, disputes.

Every function takes a Datasette `Database` and the filters read from the URL, so the
page, its chart and its feed always show the same statements.
"""

from collections import Counter
from itertools import groupby

from claimline.archive import WARC_COLUMNS

# URL parameter -> SQL condition on the timeline view (plus role, found_at, archived) or on
# the key queries below: each can use an index (no function around said_at, speaker resolved in actors).
FILTERS = {
    "incident": "statement_id in (select statement_id from incident_statements where incident_id = :incident)",
    "speaker": "(actor_id in (select id from actors where id = :speaker or name = :speaker)"
               " or (actor_id is null and speaker_text = :speaker))",
    "claim": "statement_id in (select statement_id from claims where claim_type = :claim)",
    "since": "said_at >= :since",
    "until": "said_at < date(:until, '+1 day')",
}
# The columns FILTERS and the orders below need, from the tables themselves: a page's (or
# the feed's) ids are chosen there, then only those rows are read from the view, which
# SQLite would otherwise join and sort whole. For a page the CROSS JOIN makes it walk
# statements in said_at order (its index) and stop at the page's end; for the feed it
# finds the best path itself (documents by first_seen_at when nothing narrows).
KEY_COLUMNS = """s.id as statement_id, s.actor_id as actor_id, s.speaker_text as speaker_text,
  s.said_at as said_at, d.published_at as published_at, s.document_id as document_id,
  s.start_char as start_char, d.first_seen_at as found_at"""
PAGE_KEYS_SQL = f"select {KEY_COLUMNS} from statements s cross join documents d on d.id = s.document_id"
NEWEST_KEYS_SQL = f"select {KEY_COLUMNS} from documents d join statements s on s.document_id = d.id"
PAGE_ORDER = "said_at nulls last, published_at, document_id, start_char"
NEWEST_ORDER = "found_at desc, said_at desc, statement_id"
# Statements per page: rendering them is most of the page's time (about 0.3 ms each).
PAGE_LIMIT = 100
MAX_PAGE = 100_000   # 10 million statements; a bigger `page=` is nonsense (and could overflow OFFSET)
FEED_LIMIT = 50
CHART_SPEAKERS = 12
SPEAKER_CHOICES = 300
UNKNOWN_DAY = "date unknown"


def read_filters(request):
    """The filters given in the URL, empty ones dropped."""
    return {key: request.args.get(key).strip() for key in FILTERS if (request.args.get(key) or "").strip()}


async def keeps_captures(db):
    """Whether documents name their WARC capture (databases made before archiving don't)."""
    return set(WARC_COLUMNS) <= set(await db.table_columns("documents"))


async def statements_sql(db, filters):
    """SQL and params selecting the filtered statements, with the speaker's role, the
    offset in the document, when claimline first saw the document (`found_at`) and
    whether it has an archived copy (`archived`)."""
    archived = "d.warc_record_id is not null" if await keeps_captures(db) else "0"
    return (f"""select * from (
        select t.*, a.role as role, s.start_char as start_char, d.first_seen_at as found_at,
          {archived} as archived
        from timeline t
        join statements s on s.id = t.statement_id
        join documents d on d.id = t.document_id
        left join actors a on a.id = t.actor_id
      ) where {where_sql(filters)}""", dict(filters))


def where_sql(filters):
    return " and ".join(FILTERS[key] for key in filters) or "1"


def read_page(request):
    """The page number asked in the URL (`page=`, from 1; nonsense is page 1)."""
    page = request.args.get("page") or ""
    return int(page) if page.isdigit() and 1 <= int(page) <= MAX_PAGE else 1


async def rows_of(db, keys_sql, order, filters, limit, offset=0):
    """The filtered statements in `order`, `limit` from `offset`: their ids first from
    `keys_sql`, then their rows from the view."""
    keys = [r["statement_id"] for r in await db.execute(
        f"select statement_id from ({keys_sql}) where {where_sql(filters)} "
        f"order by {order} limit {limit} offset {offset}", dict(filters))]
    if not keys:
        return []
    sql, _ = await statements_sql(db, {})
    return [dict(r) for r in await db.execute(
        f"{sql} and statement_id in ({','.join('?' * len(keys))}) order by {order}", keys)]


async def timeline_rows(db, filters, page=1, limit=PAGE_LIMIT):
    """The filtered statements of page `page` in time order, each with its claims, and
    whether a next page follows."""
    rows = await rows_of(db, PAGE_KEYS_SQL, PAGE_ORDER, filters, limit + 1, (page - 1) * limit)
    rows, more = rows[:limit], len(rows) > limit
    claims = await claims_of(db, [row["statement_id"] for row in rows])
    for row in rows:
        row["claims"] = claims.get(row["statement_id"], [])
    return rows, more


async def newest_rows(db, filters, limit=FEED_LIMIT):
    """The statements claimline found last: the feed's entries."""
    return await rows_of(db, NEWEST_KEYS_SQL, NEWEST_ORDER, filters, limit)


async def claims_of(db, statement_ids):
    """{statement id: [{claim_type, target}]}, one entry per claim type and target."""
    if not statement_ids:
        return {}
    marks = ",".join("?" * len(statement_ids))
    claims = {}
    for row in await db.execute(
            f"""select distinct c.statement_id, c.claim_type, coalesce(a.name, c.target_text) as target
            from claims c left join actors a on a.id = c.target_actor_id
            where c.statement_id in ({marks}) order by c.claim_type, target""", statement_ids):
        claims.setdefault(row["statement_id"], []).append(
            {"claim_type": row["claim_type"], "target": row["target"]})
    return claims


def by_day(rows):
    return [(day, list(items)) for day, items in
            groupby(rows, key=lambda r: (r["said_at"] or "")[:10] or UNKNOWN_DAY)]


async def dispute_groups(db, statement_ids):
    """Disputes touching the shown statements, as (disputed, denials) pairs.

    Denials answering the same set of statements form one group, so seven denials of
    the same six blames show as one block, not forty-two pairs.
    """
    if not statement_ids:
        return []
    marks = ",".join("?" * len(statement_ids))
    pairs = [dict(r) for r in await db.execute(
        f"""select statement_id, disputed_statement_id from disputes
        where statement_id in ({marks}) or disputed_statement_id in ({marks})""",
        list(statement_ids) * 2)]
    answered = {}
    for pair in pairs:
        answered.setdefault(pair["statement_id"], set()).add(pair["disputed_statement_id"])
    groups = {}
    for denial, disputed in answered.items():
        groups.setdefault(frozenset(disputed), []).append(denial)
    wanted = {i for disputed, denials in groups.items() for i in (*disputed, *denials)}
    if not wanted:
        return []
    marks = ",".join("?" * len(wanted))
    rows = {r["statement_id"]: dict(r) for r in await db.execute(
        f"select * from timeline where statement_id in ({marks})", list(wanted))}

    def in_order(ids):
        return sorted((rows[i] for i in ids if i in rows),
                      key=lambda r: (r["said_at"] or "", r["published_at"] or ""))
    return sorted(([in_order(disputed), in_order(denials)] for disputed, denials in groups.items()),
                  key=lambda group: (group[0][0]["said_at"] or "") if group[0] else "")


def shown_days(filters, rows, paged):
    """`filters` narrowed to the days of `rows` when the statements take several pages:
    the chart then counts the days the page shows, not four years of corpus."""
    days = [row["said_at"][:10] for row in rows if row["said_at"]]
    if not paged or not days:
        return filters
    return {**filters, "since": days[0], "until": days[-1]}


async def chart(db, filters):
    """Statements per day per speaker, for the most frequent speakers: a grid the
    template draws as SVG (no JavaScript, nothing fetched). `ranking` lists every
    speaker counted, most frequent first."""
    sql, params = await statements_sql(db, filters)
    counts = [dict(r) for r in await db.execute(
        f"select substr(said_at, 1, 10) as day, speaker, count(*) as n from ({sql}) group by day, speaker",
        params)]
    for row in counts:
        row["day"] = row["day"] or UNKNOWN_DAY
    totals = Counter()
    for row in counts:
        totals[row["speaker"]] += row["n"]
    ranking = [s for s, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0] or ""))]
    speakers = ranking[:CHART_SPEAKERS]
    days = sorted({row["day"] for row in counts})
    cells = {(row["speaker"], row["day"]): row["n"] for row in counts if row["speaker"] in speakers}
    return {"speakers": speakers, "days": days, "cells": cells, "ranking": ranking,
            "max": max(cells.values(), default=0), "others": len(totals) - len(speakers)}


async def choices(db, ranking):
    """Values offered by the filter form; speakers are those of the chart's `ranking`
    (counting every speaker of the corpus again would cost a scan of all statements)."""
    incidents = [dict(r) for r in await db.execute("select id, name from incidents order by start desc")]
    claim_types = [r["claim_type"] for r in await db.execute(
        "select distinct claim_type from claims order by claim_type")]
    speakers = [speaker for speaker in ranking if speaker is not None][:SPEAKER_CHOICES]
    return {"incidents": incidents, "speakers": speakers, "claim_types": claim_types}

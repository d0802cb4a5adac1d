"""What the site's pages show: incidents, the timeline of utterances, its chart, disputes, feed.

Every function takes a Datasette `Database` and the filters read from the URL, so the
page, its chart and its feed always show the same statements.

An utterance (the same speaker's same words, `statements.utterance_id`, grouped by
claimline/utterances.py) is shown once: its first report (the statement whose id is the
utterance's) leads, the other reports are folded under it.
"""

from collections import Counter, defaultdict
from itertools import groupby

from claimline.archive import WARC_COLUMNS

# URL parameter -> SQL condition on the keys below (`k`, plus the statements' own columns):
# each can use an index (no function around said_at, speaker resolved in actors).
FILTERS = {
    "incident": "k.statement_id in (select statement_id from incident_statements where incident_id = :incident)",
    "speaker": "(k.actor_id in (select id from actors where id = :speaker or name = :speaker)"
               " or (k.actor_id is null and k.speaker_text = :speaker))",
    # correlated: the page walks statements in said_at order and looks each one up in
    # claims; an IN list of a common type's 75,000 ids made SQLite sort them all first
    "claim": "exists (select 1 from claims c where c.statement_id = k.statement_id and c.claim_type = :claim)",
    "since": "k.said_at >= :since",
    "until": "k.said_at < date(:until, '+1 day')",
    # `named` or `anonymous` speakers (actors.anonymous)
    "voices": "(coalesce((select anonymous from actors where id = k.actor_id), 0)"
              " = (case :voices when 'anonymous' then 1 else 0 end))",
}
VOICES = ("named", "anonymous")
# The columns FILTERS and the orders below need, from the tables themselves: a page's (or
# the feed's) ids are chosen there, then only those rows are read from the view, which
# SQLite would otherwise join and sort whole. For a page the CROSS JOIN makes it walk
# statements in said_at order (its index) and stop at the page's end; with an incident,
# its statements are few and sorted instead. For the feed SQLite finds the best path
# itself (documents by first_seen_at when nothing narrows). `leads`: the first report
# of its utterance, the one shown.
KEY_COLUMNS = """s.id as statement_id, s.actor_id as actor_id, s.speaker_text as speaker_text,
  s.said_at as said_at, d.published_at as published_at, s.document_id as document_id,
  s.start_char as start_char, d.first_seen_at as found_at,
  (s.utterance_id is null or s.utterance_id = s.id) as leads"""
PAGE_KEYS_SQL = f"select {KEY_COLUMNS} from statements s cross join documents d on d.id = s.document_id"
INCIDENT_KEYS_SQL = f"""select {KEY_COLUMNS} from incident_statements i
  join statements s on s.id = i.statement_id join documents d on d.id = s.document_id
  where i.incident_id = :incident"""
NEWEST_KEYS_SQL = f"select {KEY_COLUMNS} from documents d join statements s on s.document_id = d.id"
PAGE_ORDER = "said_at nulls last, published_at, document_id, start_char"
NEWEST_ORDER = "found_at desc, said_at desc, statement_id"
# Utterances per page: rendering them is most of the page's time (about 0.3 ms each).
PAGE_LIMIT = 100
MAX_PAGE = 100_000   # 10 million statements; a bigger `page=` is nonsense (and could overflow OFFSET)
FEED_LIMIT = 50
CHART_SPEAKERS = 12
SPEAKER_CHOICES = 300
UNKNOWN_DAY = "date unknown"
# The chart counts by three hours when the statements it shows take this many days or fewer.
HOURS_VIEW_DAYS = 4
HOURS_PER_CELL = 3
# Context around a statement: characters read either side of its offsets, and a
# reported-speech fragment this short (in words) shows its sentence by default.
CONTEXT_CHARS = 700
SHORT_INDIRECT_WORDS = 8
SENTENCE_ENDS = ".!?…"
# What the incident summary calls an explanation of the failure.
EXPLANATION_TYPES = ("blame", "cyberattack")
SUMMARY_ROWS = 8


def read_filters(request):
    """The filters given in the URL, empty ones dropped."""
    found = {key: request.args.get(key).strip() for key in FILTERS if (request.args.get(key) or "").strip()}
    if found.get("voices") not in (None, *VOICES):
        del found["voices"]
    return found


async def keeps_captures(db):
    """Whether documents name their WARC capture (databases made before archiving don't)."""
    return set(WARC_COLUMNS) <= set(await db.table_columns("documents"))


def where_sql(filters):
    return " and ".join(FILTERS[key] for key in filters) or "1"


def read_page(request):
    """The page number asked in the URL (`page=`, from 1; nonsense is page 1)."""
    page = request.args.get("page") or ""
    return int(page) if page.isdigit() and 1 <= int(page) <= MAX_PAGE else 1


async def view_rows(db, statement_ids, order=PAGE_ORDER):
    """Rows of the `timeline` view for these statements, with the speaker's role and
    anonymity, the offsets in the document, when claimline first saw the document
    (`found_at`) and whether it has an archived copy (`archived`)."""
    if not statement_ids:
        return []
    archived = "d.warc_record_id is not null" if await keeps_captures(db) else "0"
    marks = ",".join("?" * len(statement_ids))
    return [dict(r) for r in await db.execute(
        f"""select * from (
          select t.*, a.role as role, coalesce(a.anonymous, 0) as anonymous, s.start_char as start_char,
            s.end_char as end_char, d.first_seen_at as found_at, {archived} as archived,
            (d.url != coalesce(d.fetched_url, d.url)) as reconstructed
          from timeline t
          join statements s on s.id = t.statement_id
          join documents d on d.id = t.document_id
          left join actors a on a.id = t.actor_id
          where t.statement_id in ({marks})) order by {order}""", list(statement_ids))]


async def keys_of(db, keys_sql, order, filters, limit, offset=0, leads=True):
    sql = f"select statement_id from ({keys_sql}) k where {where_sql(filters)}"
    if leads:
        sql += " and k.leads"
    return [r["statement_id"] for r in await db.execute(
        f"{sql} order by {order} limit {limit} offset {offset}", dict(filters))]


async def timeline_rows(db, filters, page=1, limit=PAGE_LIMIT, labels=None):
    """The filtered utterances of page `page`, each with its claims, its other reports
    and its context, in time order, and whether a next page follows."""
    keys_sql = INCIDENT_KEYS_SQL if "incident" in filters else PAGE_KEYS_SQL
    keys = await keys_of(db, keys_sql, PAGE_ORDER, filters, limit + 1, (page - 1) * limit)
    keys, more = keys[:limit], len(keys) > limit
    rows = await utterances(db, keys)
    if labels:   # within a day, by the time of day each statement is known at
        rows.sort(key=lambda r: ((r["said_at"] or "9")[:10], labels.minutes(r)))
    return rows, more


async def utterances(db, lead_ids):
    """The rows of these statements (each the first report of its utterance), each with
    `claims`, `reports` (the utterance's other statements, first published first),
    `outlets` (how many carried it) and `context`."""
    rows = await view_rows(db, lead_ids)
    if not rows:
        return []
    marks = ",".join("?" * len(lead_ids))
    reports = defaultdict(list)
    others = await view_rows(db, [r["id"] for r in await db.execute(
        f"select id from statements where utterance_id in ({marks}) and id != utterance_id",
        list(lead_ids))], order="published_at, outlet")
    for other in others:
        reports[other["utterance_id"]].append(other)
    claims = await claims_of(db, [r["statement_id"] for r in rows])
    contexts = await contexts_of(db, rows)
    for row in rows:
        row["claims"] = claims.get(row["statement_id"], [])
        row["reports"] = reports.get(row["statement_id"], [])
        row["outlets"] = len({r["outlet"] for r in [row, *row["reports"]]})
        row["context"] = contexts.get(row["statement_id"])
    return rows


async def newest_rows(db, filters, limit=FEED_LIMIT):
    """The utterances claimline found last: the feed's entries, one per utterance."""
    return await utterances(db, await keys_of(db, NEWEST_KEYS_SQL, NEWEST_ORDER, filters, limit))


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


# -- context ---------------------------------------------------------------------

def context_parts(around, start, end):
    """The sentence and the paragraph holding [start, end) of `around` (the text read
    around a statement), each as (before, the statement's words, after)."""
    paragraph_start = around.rfind("\n", 0, start) + 1
    paragraph_end = around.find("\n", end)
    paragraph_end = len(around) if paragraph_end < 0 else paragraph_end
    sentence_start = max((around.rfind(mark + " ", paragraph_start, start) for mark in SENTENCE_ENDS),
                         default=-1)
    sentence_start = sentence_start + 2 if sentence_start >= 0 else paragraph_start
    ends = [i for i in (around.find(mark, end, paragraph_end) for mark in SENTENCE_ENDS) if i >= 0]
    sentence_end = min(ends) + 1 if ends else paragraph_end
    # a closing quotation mark or bracket right after the sentence's end belongs to it
    while sentence_end < paragraph_end and around[sentence_end] in "»\"”)":
        sentence_end += 1
    words = around[start:end]

    def parts(a, b):
        return around[a:start].lstrip(), words, around[end:b].rstrip()
    return {"sentence": parts(sentence_start, sentence_end), "paragraph": parts(paragraph_start, paragraph_end)}


async def contexts_of(db, rows):
    """{statement id: {sentence, paragraph, open}} from the document's text at the stored
    offsets; `open` when the statement is a short piece of reported speech, which read
    alone can mislead (« héberger les services en panne »)."""
    wanted = [r for r in rows if r.get("start_char") is not None and r.get("end_char") is not None]
    if not wanted:
        return {}
    marks = ",".join("?" * len(wanted))
    texts = {r["id"]: dict(r) for r in await db.execute(
        f"""select s.id, max(s.start_char - {CONTEXT_CHARS}, 0) as offset,
          substr(d.text, max(s.start_char - {CONTEXT_CHARS}, 0) + 1,
                 s.end_char - max(s.start_char - {CONTEXT_CHARS}, 0) + {CONTEXT_CHARS}) as around
        from statements s join documents d on d.id = s.document_id where s.id in ({marks})""",
        [r["statement_id"] for r in wanted])}
    contexts = {}
    for row in wanted:
        found = texts.get(row["statement_id"])
        if not found or not found["around"]:
            continue
        start = row["start_char"] - found["offset"]
        end = min(row["end_char"] - found["offset"], len(found["around"]))
        if not 0 <= start < end:
            continue
        context = context_parts(found["around"], start, end)
        sentence = "".join(context["sentence"]).strip()
        if sentence == (row["statement"] or "").strip() and context["sentence"] == context["paragraph"]:
            continue   # the words are their whole paragraph: nothing more to show
        context["open"] = row["kind"] == "indirect" and len((row["statement"] or "").split()) <= SHORT_INDIRECT_WORDS
        contexts[row["statement_id"]] = context
    return contexts


# -- days, disputes, chart ----------------------------------------------------------

def by_day(rows):
    return [(day, list(items)) for day, items in
            groupby(rows, key=lambda r: (r["said_at"] or "")[:10] or UNKNOWN_DAY)]


async def dispute_groups(db, statement_ids):
    """Disputes touching the shown statements (or their utterances' other reports), as
    (disputed, denials) pairs of utterances.

    Each side names an utterance once, whichever reports the NLP linked; denials
    answering the same set of utterances form one group, so seven denials of the same six
    blames show as one block, not forty-two pairs.
    """
    if not statement_ids:
        return []
    marks = ",".join("?" * len(statement_ids))
    pairs = [dict(r) for r in await db.execute(
        f"""with shown(id) as (select id from statements where id in ({marks})
              union select id from statements where utterance_id in ({marks}))
        select coalesce(a.utterance_id, a.id) as denial, coalesce(b.utterance_id, b.id) as disputed
        from disputes x join statements a on a.id = x.statement_id
        join statements b on b.id = x.disputed_statement_id
        where x.statement_id in shown or x.disputed_statement_id in shown""",
        list(statement_ids) * 2)]
    answered = defaultdict(set)
    for pair in pairs:
        if pair["denial"] != pair["disputed"]:
            answered[pair["denial"]].add(pair["disputed"])
    groups = defaultdict(list)
    for denial, disputed in answered.items():
        groups[frozenset(disputed)].append(denial)
    wanted = list({i for disputed, denials in groups.items() for i in (*disputed, *denials)})
    rows = {r["statement_id"]: r for r in await utterances(db, wanted)}

    def in_order(ids):
        return sorted((rows[i] for i in ids if i in rows),
                      key=lambda r: (r["said_at"] or "", r["published_at"] or ""))
    return sorted(([in_order(disputed), in_order(denials)] for disputed, denials in groups.items()),
                  key=lambda group: (group[0][0]["said_at"] or "") if group[0] else "")


def shown_days(filters, rows, paged):
    """`filters` narrowed to the days of `rows` when the statements take several pages:
    the chart then counts the days the page shows, not four years of corpus."""
    days = sorted(row["said_at"][:10] for row in rows if row["said_at"])
    if not paged or not days:
        return filters
    return {**filters, "since": days[0], "until": days[-1]}


async def chart_rows(db, filters):
    """What the chart counts: every filtered utterance's day, time and speaker, from the
    tables (through the view, the claim types of 10,000 statements cost 0.2 s)."""
    keys_sql = INCIDENT_KEYS_SQL if "incident" in filters else PAGE_KEYS_SQL.replace("cross join", "join")
    return [dict(r) for r in await db.execute(
        f"""select k.said_at as said_at, k.published_at as published_at, s.said_at_precision as said_at_precision,
          s.said_at_text as said_at_text, coalesce(a.name, k.speaker_text) as speaker,
          coalesce(a.anonymous, 0) as anonymous
        from ({keys_sql}) k join statements s on s.id = k.statement_id left join actors a on a.id = k.actor_id
        where k.leads and {where_sql(filters)}""", dict(filters))]


async def chart(db, filters, labels):
    """Utterances per day (or per three hours, when they take a few days) per speaker, for
    the most frequent speakers, named ones first: a grid the template draws as SVG (no
    JavaScript, nothing fetched). `ranking` lists every speaker counted, most frequent first."""
    rows = await chart_rows(db, filters)
    days = sorted({(r["said_at"] or "")[:10] or UNKNOWN_DAY for r in rows})
    hours = 0 < len(days) <= HOURS_VIEW_DAYS and UNKNOWN_DAY not in days

    def column(row):
        day = (row["said_at"] or "")[:10] or UNKNOWN_DAY
        if not hours:
            return day
        return f"{day} {min(labels.minutes(row) // 60, 23) // HOURS_PER_CELL * HOURS_PER_CELL:02d}"
    counts = Counter((r["speaker"], column(r)) for r in rows)
    totals = Counter(r["speaker"] for r in rows)
    anonymous = {r["speaker"] for r in rows if r["anonymous"]}
    ranking = [s for s, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0] or ""))]
    speakers = ranking[:CHART_SPEAKERS]
    speakers.sort(key=lambda s: s in anonymous)   # stable: named first, each by frequency
    if hours:
        columns = [f"{day} {h:02d}" for day in days for h in range(0, 24, HOURS_PER_CELL)]
    else:
        columns = days
    cells = {key: n for key, n in counts.items() if key[0] in speakers}
    return {"speakers": speakers, "anonymous": anonymous, "columns": columns, "hours": hours,
            "cells": cells, "ranking": ranking, "max": max(cells.values(), default=0),
            "others": len(totals) - len(speakers)}


async def choices(db, ranking, anonymous):
    """Values offered by the filter form; speakers are those of the chart's `ranking`
    (counting every speaker of the corpus again would cost a scan of all statements),
    named ones first."""
    incidents = [dict(r) for r in await db.execute("select id, name from incidents order by start desc")]
    claim_types = [r["claim_type"] for r in await db.execute(
        "select distinct claim_type from claims order by claim_type")]
    speakers = [speaker for speaker in ranking if speaker is not None][:SPEAKER_CHOICES]
    return {"incidents": incidents, "claim_types": claim_types,
            "speakers": [s for s in speakers if s not in anonymous],
            "anonymous_speakers": [s for s in speakers if s in anonymous]}


# -- incidents -------------------------------------------------------------------------

async def incidents(db):
    """Every incident declared, latest first, with how many statements and speakers it has."""
    found = [dict(r) for r in await db.execute(
        """select i.*, count(x.statement_id) as statements,
          count(distinct coalesce(s.actor_id, s.speaker_text)) as speakers,
          min(s.said_at) as first_said_at, max(s.said_at) as last_said_at
        from incidents i left join incident_statements x on x.incident_id = i.id
        left join statements s on s.id = x.statement_id
        group by i.id order by i.start desc, i.id""")]
    return found


async def incident(db, incident_id):
    row = (await db.execute("select * from incidents where id = ?", [incident_id])).first()
    return dict(row) if row else None


async def incident_summary(db, incident_id):
    """What a journalist reads first: the first report, who blamed whom, who denied, and
    the explanations put forward, each with the time it was first said. Counted on
    utterances (first reports), one line per speaker and target."""
    claim_lines = [dict(r) for r in await db.execute(
        """select c.claim_type as claim_type, coalesce(a.name, s.speaker_text) as speaker,
          coalesce(t.name, c.target_text) as target, count(*) as utterances,
          min(s.said_at) as said_at, s.id as statement_id
        from incident_statements x
        join statements s on s.id = x.statement_id and (s.utterance_id is null or s.utterance_id = s.id)
        join claims c on c.statement_id = s.id
        left join actors a on a.id = s.actor_id
        left join actors t on t.id = c.target_actor_id
        where x.incident_id = :incident and c.claim_type in ('blame', 'denial', 'cyberattack')
        group by c.claim_type, speaker, target
        order by min(s.said_at), speaker""", {"incident": incident_id})]
    first_key = await keys_of(db, INCIDENT_KEYS_SQL, PAGE_ORDER, {"incident": incident_id}, 1)
    leads = {r["statement_id"]: r for r in await utterances(
        db, list({line["statement_id"] for line in claim_lines} | set(first_key)))}
    for line in claim_lines:
        line["row"] = leads.get(line["statement_id"])

    def lines(*types):
        return [line for line in claim_lines if line["claim_type"] in types][:SUMMARY_ROWS]
    return {
        "first": leads.get(first_key[0]) if first_key else None,
        "blames": lines("blame"),
        "denials": lines("denial"),
        "explanations": explanations(claim_lines),
    }


def explanations(claim_lines):
    """The competing explanations: each cause put forward (a blamed party, a cyberattack)
    with who first said it and when."""
    causes = {}
    for line in claim_lines:
        if line["claim_type"] not in EXPLANATION_TYPES:
            continue
        key = (line["claim_type"], line["target"] if line["claim_type"] == "blame" else None)
        cause = causes.setdefault(key, {"claim_type": key[0], "target": key[1], "speakers": [],
                                        "said_at": line["said_at"], "row": line["row"]})
        if line["speaker"] not in cause["speakers"]:
            cause["speakers"].append(line["speaker"])
        if (line["said_at"] or "") < (cause["said_at"] or ""):
            cause["said_at"], cause["row"] = line["said_at"], line["row"]
    return sorted(causes.values(), key=lambda c: c["said_at"] or "")[:SUMMARY_ROWS]


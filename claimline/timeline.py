"""What the site's pages show: incidents, the timeline of utterances, its chart, disputes, feed.

Every function takes a Datasette `Database` and the filters read from the URL, so the
page, its chart and its feed always show the same statements.

An utterance (the same speaker's same words, `statements.utterance_id`, grouped by
claimline/utterances.py) is shown once: its first report (the statement whose id is the
utterance's) leads, the other reports are folded under it.
"""

import json
import re
from collections import Counter, defaultdict
from itertools import groupby

from claimline.archive import WARC_COLUMNS
from claimline.labels import parse

# URL parameter -> SQL condition on the keys below (`k`, plus the statements' own columns):
# each can use an index (no function around said_at, speaker resolved in actors).
FILTERS = {
    # a probe per statement walked (an IN list would read the incident's links first)
    "incident": "exists (select 1 from incident_statements x"
                " where x.incident_id = :incident and x.statement_id = k.statement_id)",
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
# statements in said_at order (its index) and stop at the page's end; a small incident's
# statements are read whole and sorted instead (keys_scope). For the feed SQLite finds
# the best path itself (documents by first_seen_at when nothing narrows). `leads`: the
# first report of its utterance, the one shown.
STATEMENT_KEY_COLUMNS = """s.id as statement_id, s.actor_id as actor_id, s.speaker_text as speaker_text,
  s.said_at as said_at, s.said_at_precision as said_at_precision, s.said_at_text as said_at_text,
  s.document_id as document_id, s.start_char as start_char,
  (s.utterance_id is null or s.utterance_id = s.id) as leads"""
KEY_COLUMNS = f"{STATEMENT_KEY_COLUMNS}, d.published_at as published_at, d.first_seen_at as found_at"
PAGE_KEYS_SQL = f"select {KEY_COLUMNS} from statements s cross join documents d on d.id = s.document_id"
INCIDENT_KEYS_SQL = f"""select {KEY_COLUMNS} from incident_statements i
  join statements s on s.id = i.statement_id join documents d on d.id = s.document_id
  where i.incident_id = :incident"""
NEWEST_KEYS_SQL = f"select {KEY_COLUMNS} from documents d join statements s on s.document_id = d.id"
# The chart's counts, the same without documents: they read thousands of statements,
# and need no publication time.
CHART_KEYS_SQL = {
    PAGE_KEYS_SQL: f"select {STATEMENT_KEY_COLUMNS} from statements s",
    INCIDENT_KEYS_SQL: f"""select {STATEMENT_KEY_COLUMNS} from incident_statements i
  join statements s on s.id = i.statement_id where i.incident_id = :incident""",
}
# An incident's utterances by day and speaker, counted with its links
# (claimline.db.summarise_incident_links): what the chart counts, without reading the
# incident's statements (15 to 50 ms for 10,000).
INCIDENT_SPEAKERS_SQL = """select c.day as day, c.actor_id as actor_id, c.speaker_text as speaker_text,
  c.utterances as n, coalesce(a.name, c.speaker_text) as speaker, coalesce(a.anonymous, 0) as anonymous
from incident_speakers c left join actors a on a.id = c.actor_id
where c.incident_id = :incident and (:since is null or c.day >= :since) and (:until is null or c.day <= :until)"""
# The filters incident_speakers answers for, since and until being whole days.
COUNTED_FILTERS = {"incident", "since", "until"}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
PAGE_ORDER = "said_at nulls last, published_at, document_id, start_char"
LATEST_ORDER = "said_at desc, published_at desc, document_id, start_char"
NEWEST_ORDER = "found_at desc, said_at desc, statement_id"
# From this many statements an incident is read by walking statements in said_at order
# between its first and last (incidents.first_said_at, last_said_at) and probing its
# links, stopping at the page's end; below, reading its statements whole and sorting
# them costs under 10 ms, and stays cheap when its days hold many other statements.
INCIDENT_WALK_FROM = 1000
# Utterances per page: rendering them is most of the page's time (about 0.4 ms each, with
# their context and folded reports); 100 took a big incident's page past 200 ms.
PAGE_LIMIT = 50
MAX_PAGE = 200_000   # 10 million statements; a bigger `page=` is nonsense (and could overflow OFFSET)
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
SUMMARY_SPEAKERS = 5   # speakers named for an explanation; the others are counted


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


async def keys_scope(db, filters):
    """Where the statements `filters` pick are read from, in time order: (keys SQL, an
    extra condition, its parameters). An incident of INCIDENT_WALK_FROM statements or
    more is walked in said_at order over its range; a smaller one (or one whose range
    is unknown) is read whole from its links."""
    if "incident" not in filters:
        return PAGE_KEYS_SQL, "1", {}
    found = await incident(db, filters["incident"])
    if found and found.get("first_said_at") and (found.get("statement_count") or 0) >= INCIDENT_WALK_FROM:
        return (PAGE_KEYS_SQL, "k.said_at between :first_said_at and :last_said_at",
                {"first_said_at": found["first_said_at"], "last_said_at": found["last_said_at"]})
    return INCIDENT_KEYS_SQL, "1", {}


async def keys_of(db, scope, order, filters, limit, offset=0):
    """Ids of the utterances (first reports) `filters` pick within `scope` (keys_scope, or
    (keys SQL, "1", {})), in `order`."""
    keys_sql, condition, params = scope
    return [r["statement_id"] for r in await db.execute(
        f"select statement_id from ({keys_sql}) k where {where_sql(filters)} and {condition} and k.leads"
        f" order by {order} limit {limit} offset {offset}", {**filters, **params})]


async def timeline_rows(db, filters, page=1, limit=PAGE_LIMIT, labels=None):
    """The filtered utterances of page `page`, each with its claims, its other reports
    and its context, in time order, and whether a next page follows."""
    keys = await keys_of(db, await keys_scope(db, filters), PAGE_ORDER, filters, limit + 1, (page - 1) * limit)
    keys, more = keys[:limit], len(keys) > limit
    rows = await utterances(db, keys)
    if labels:   # within a day, by the time of day each statement is known at
        rows.sort(key=lambda r: ((r["said_at"] or "9")[:10], labels.minutes(r)))
    return rows, more


async def utterances(db, lead_ids, order=PAGE_ORDER):
    """The rows of these statements (each the first report of its utterance) in `order`,
    each with `claims`, `reports` (the utterance's other statements, first published
    first), `outlets` (how many carried it) and `context`."""
    rows = await view_rows(db, lead_ids, order)
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


async def latest_utterances(db, incident_id, limit):
    """The incident's last utterances, the latest said first."""
    filters = {"incident": incident_id}
    return await utterances(db, await keys_of(db, await keys_scope(db, filters), LATEST_ORDER, filters, limit),
                            order=LATEST_ORDER)


async def newest_rows(db, filters, limit=FEED_LIMIT):
    """The utterances claimline found last: the feed's entries, one per utterance. An
    incident's are read from its links and sorted (walking documents by when they were
    found would probe the million)."""
    keys_sql = INCIDENT_KEYS_SQL if "incident" in filters else NEWEST_KEYS_SQL
    return await utterances(db, await keys_of(db, (keys_sql, "1", {}), NEWEST_ORDER, filters, limit))


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


async def chart(db, filters, labels):
    """Utterances per day (or per three hours, when they take a few days) per speaker, for
    the most frequent speakers, named ones first: a grid the template draws as SVG (no
    JavaScript, nothing fetched). `ranking` lists every speaker counted, most frequent
    first (rank_speakers).

    SQLite counts by speaker and day (speaker_counts); only the speakers drawn are read
    statement by statement, for their hours: at a million statements a busy day holds
    5,000 utterances of 1,300 speakers, and reading them all cost 70 ms."""
    counted = await speaker_counts(db, filters)
    days = sorted({row["day"] or UNKNOWN_DAY for row in counted})
    hours = 0 < len(days) <= HOURS_VIEW_DAYS and UNKNOWN_DAY not in days
    ranking = rank_speakers(counted)
    anonymous = {speaker["speaker"] for speaker in ranking if speaker["anonymous"]}
    speakers = [speaker["speaker"] for speaker in ranking[:CHART_SPEAKERS]]
    speakers.sort(key=lambda s: s in anonymous)   # stable: named first, each by frequency
    if hours:
        columns = [f"{day} {h:02d}" for day in days for h in range(0, 24, HOURS_PER_CELL)]
        drawn = [row for row in counted if row["speaker"] in speakers]
        cells = Counter((row["speaker"], f"{row['said_at'][:10]} {hour_cell(labels, row):02d}")
                        for row in await drawn_rows(db, filters, drawn))
    else:
        columns = days
        cells = Counter()
        for row in counted:
            if row["speaker"] in speakers:
                cells[(row["speaker"], row["day"] or UNKNOWN_DAY)] += row["n"]
    return {"speakers": speakers, "anonymous": anonymous, "columns": columns, "hours": hours,
            "cells": dict(cells), "ranking": ranking, "max": max(cells.values(), default=0),
            "others": len(ranking) - len(speakers)}


def counted_with_links(filters):
    """Whether the incident's counts by day and speaker (incident_speakers) answer for
    `filters`: an incident, maybe over whole days, and nothing else."""
    return ("incident" in filters and set(filters) <= COUNTED_FILTERS
            and all(ISO_DAY.fullmatch(filters[key]) for key in ("since", "until") if key in filters))


async def speaker_counts(db, filters):
    """Utterances by day and speaker of the statements `filters` pick: rows of day,
    actor_id, speaker_text, n (utterances), speaker (the name shown) and anonymous."""
    sql, params = await speaker_counts_sql(db, filters)
    return [dict(r) for r in await db.execute(sql, params)]


async def speaker_counts_sql(db, filters):
    """The SQL of speaker_counts and its parameters: an incident's counts when they answer
    (counted_with_links), else SQLite counts the statements."""
    if counted_with_links(filters):
        return INCIDENT_SPEAKERS_SQL, {"since": None, "until": None, **filters}
    keys_sql, condition, params = await keys_scope(db, filters)
    # the speakers' names once a speaker and day, after counting
    return (f"""select c.*, coalesce(a.name, c.speaker_text) as speaker, coalesce(a.anonymous, 0) as anonymous
        from (select substr(k.said_at, 1, 10) as day, k.actor_id as actor_id, k.speaker_text as speaker_text,
                count(*) as n
              from ({CHART_KEYS_SQL[keys_sql]}) k where k.leads and {where_sql(filters)} and {condition}
              group by 1, 2, 3) c
        left join actors a on a.id = c.actor_id""", {**filters, **params})


def rank_speakers(counted):
    """The speakers of `counted` (rows of speaker_counts), most frequent first: dicts of
    speaker, utterances and anonymous."""
    totals = Counter()
    anonymous = set()
    for row in counted:
        totals[row["speaker"]] += row["n"]
        if row["anonymous"]:
            anonymous.add(row["speaker"])
    return [{"speaker": speaker, "utterances": n, "anonymous": speaker in anonymous}
            for speaker, n in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0] or ""))]


def hour_cell(labels, row):
    """The first hour of the chart's cell of three hours a statement falls in."""
    return min(labels.minutes(row) // 60, 23) // HOURS_PER_CELL * HOURS_PER_CELL


async def drawn_rows(db, filters, drawn):
    """The statements `filters` pick of the speakers the chart draws (`drawn`: their rows
    of counts), with what labels.minutes needs (the publication time only for those
    without a time of their own), each with its `speaker`."""
    keys_sql, condition, params = await keys_scope(db, filters)
    names = {row["actor_id"] or ("", row["speaker_text"]): row["speaker"] for row in drawn}
    rows = [dict(r) for r in await db.execute(
        f"""select k.actor_id as actor_id, k.speaker_text as speaker_text, k.said_at as said_at,
          k.said_at_precision as said_at_precision, k.said_at_text as said_at_text, k.document_id as document_id
        from ({CHART_KEYS_SQL[keys_sql]}) k where k.leads and {where_sql(filters)} and {condition}
          and (k.actor_id in (select value from json_each(:drawn_actors))
               or (k.actor_id is null and k.speaker_text in (select value from json_each(:drawn_texts))))""",
        {**filters, **params, "drawn_actors": json.dumps([r["actor_id"] for r in drawn if r["actor_id"]]),
         "drawn_texts": json.dumps([r["speaker_text"] for r in drawn if not r["actor_id"]])})]
    published = await by_id(db, "select id, published_at from documents",
                            {row["document_id"] for row in rows if not parse(row["said_at"])[1]})
    for row in rows:
        row["speaker"] = names[row["actor_id"] or ("", row["speaker_text"])]
        row["published_at"] = (published.get(row["document_id"]) or {}).get("published_at")
    return rows


async def by_id(db, select_sql, ids):
    """{id: row} of `select_sql` for these ids, in one query whatever their number (a JSON
    array parameter: SQLite limits bound parameters)."""
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    return {r["id"]: dict(r) for r in await db.execute(
        f"{select_sql} where id in (select value from json_each(:ids))", {"ids": json.dumps(ids)})}


async def choices(db, filters, chart):
    """Values offered by the filter form, for the selection `filters` (the URL's) and the
    `chart` of the page; speakers (rank_speakers) named ones first, anonymous apart."""
    incidents = [dict(r) for r in await db.execute("select id, name from incidents order by start desc")]
    claim_types = [r["claim_type"] for r in await db.execute(
        "select distinct claim_type from claims order by claim_type")]
    speakers = await speaker_choices(db, filters, chart)
    return {"incidents": incidents, "claim_types": claim_types,
            "speakers": [s for s in speakers if not s["anonymous"]],
            "anonymous_speakers": [s for s in speakers if s["anonymous"]]}


async def speaker_choices(db, filters, chart):
    """The SPEAKER_CHOICES most frequent speakers the form offers (as rank_speakers):
    within an incident, those of the whole selection (`filters` but the speaker, whatever
    days the page shows), from its counts or its statements; elsewhere those the chart
    counted, the days shown (counting the speakers of the corpus, or of a claim type's
    75,000 statements, costs 50 to 300 ms)."""
    selection = {key: value for key, value in filters.items() if key != "speaker"}
    if "incident" not in selection:
        return [speaker for speaker in chart["ranking"] if speaker["speaker"] is not None][:SPEAKER_CHOICES]
    sql, params = await speaker_counts_sql(db, selection)
    # summed by SQLite: a big incident has 3,000 rows of counts
    return [dict(r, anonymous=bool(r["anonymous"])) for r in await db.execute(
        f"""select speaker, sum(n) as utterances, max(anonymous) as anonymous from ({sql})
        where speaker is not null group by speaker order by utterances desc, speaker limit {SPEAKER_CHOICES}""",
        params)]


# -- incidents -------------------------------------------------------------------------

async def incidents(db):
    """Every incident declared, latest first, with how many statements and speakers it has
    (counted with its links, claimline.db.summarise_incident_links)."""
    return [dict(r) for r in await db.execute("select * from incidents order by start desc, id")]


async def incident(db, incident_id):
    row = (await db.execute("select * from incidents where id = ?", [incident_id])).first()
    return dict(row) if row else None


async def incident_summary(db, incident_id):
    """What a journalist reads first: the first report, who blamed whom, who denied, and
    the explanations put forward, each with the time it was first said. Counted on
    utterances (first reports), one line per speaker and target, with the links
    (claimline.db.summarise_incident_links: from the statements, 40 to 90 ms on an
    incident of 10,000); only the lines shown are read, and their statements."""
    filters = {"incident": incident_id}
    first_key = await keys_of(db, await keys_scope(db, filters), PAGE_ORDER, filters, 1)
    shown = {"blames": await claim_lines(db, incident_id, "blame"),
             "denials": await claim_lines(db, incident_id, "denial"),
             "explanations": await explanations(db, incident_id)}
    # the lines show the words and when; only the first report is shown in full
    said = {r["statement_id"]: r for r in await view_rows(
        db, list({line["statement_id"] for lines in shown.values() for line in lines}))}
    for lines in shown.values():
        for line in lines:
            line["row"] = said.get(line["statement_id"])
    first = await utterances(db, first_key)
    return {"first": first[0] if first else None, **shown}


async def claim_lines(db, incident_id, claim_type):
    """The incident's first SUMMARY_ROWS lines of `claim_type` (incident_claims), first said first."""
    return [dict(r) for r in await db.execute(
        f"""select claim_type, speaker, target, utterances, first_said_at as said_at, statement_id
        from incident_claims where incident_id = :incident and claim_type = :claim_type
        order by first_said_at, speaker limit {SUMMARY_ROWS}""", {"incident": incident_id, "claim_type": claim_type})]


async def explanations(db, incident_id):
    """The competing explanations: the first SUMMARY_ROWS causes put forward (a blamed
    party, a cyberattack whatever its target), each with when it was first said and by
    which statement, its first SUMMARY_SPEAKERS speakers and how many they are."""
    marks = ",".join("?" * len(EXPLANATION_TYPES))
    causes = {}
    speakers = defaultdict(dict)   # by cause, in the order they first said it (a dict: a big one has 600)
    for line in await db.execute(
            f"""select claim_type, speaker, target, first_said_at as said_at, statement_id from incident_claims
            where incident_id = ? and claim_type in ({marks}) order by first_said_at, speaker""",
            [incident_id, *EXPLANATION_TYPES]):
        key = (line["claim_type"], line["target"] if line["claim_type"] == "blame" else None)
        # first said first: a cause's first line says when and where
        causes.setdefault(key, {"claim_type": key[0], "target": key[1], "said_at": line["said_at"],
                                "statement_id": line["statement_id"]})
        speakers[key].setdefault(line["speaker"])
    shown = dict(list(causes.items())[:SUMMARY_ROWS])
    for key, cause in shown.items():
        cause.update(speakers=list(speakers[key])[:SUMMARY_SPEAKERS], speaker_count=len(speakers[key]))
    return list(shown.values())

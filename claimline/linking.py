"""Incidents and disputes: which statements an incident holds, which denial answers which blame.

A statement belongs to an incident when it was said within the incident's days and names
one of its keywords (in its words or its document's title) or is said by one of its
actors (or a member of one). A denial disputes a blame aimed at its speaker (or at their
organisation) said DISPUTE_WINDOW_DAYS days apart at most, or when either was said on
no known day (`said_at` null); a said_at that is no ISO date is near no day.

`link_all` computes every link; `link_statements` only those of some statements (the
ones added, or whose date or utterance changed), finding their counterparts through
indexes: the blames and denials said around their day (`statements.said_at`), or for a
statement said on no known day, the blames by target and the denials by speaker and by
the speaker's organisation.
"""

import json
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import date, timedelta

from claimline import db as database
from claimline.nlp.lexicon import fold

DISPUTE_WINDOW_DAYS = 3
INCIDENT_DEFAULT_DAYS = 14
DISPUTE_REASON = "denies a blame aimed at its speaker"

STATEMENTS = (
    "select s.id, s.text, s.said_at, s.actor_id, a.organisation_id, d.title "
    "from statements s join documents d on d.id = s.document_id "
    "left join actors a on a.id = s.actor_id")
CLAIMS = (
    "select c.claim_type, c.target_actor_id, s.id, s.actor_id, s.said_at, a.organisation_id "
    "from claims c join statements s on s.id = c.statement_id "
    "left join actors a on a.id = s.actor_id")
# claims by their statements, for the statements said on some days
STATEMENTS_CLAIMS = (
    "select c.claim_type, c.target_actor_id, s.id, s.actor_id, s.said_at, a.organisation_id "
    "from statements s cross join claims c on c.statement_id = s.id "
    "left join actors a on a.id = s.actor_id")
IN_IDS = "in (select value from json_each(:ids))"
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def link_all(db, incidents):
    """Replace every incident and dispute link."""
    statements = db.query(STATEMENTS)
    claims = list(db.query(f"{CLAIMS} where c.claim_type in ('blame', 'denial')"))
    denials = [c for c in claims if c["claim_type"] == "denial"]
    blames = [c for c in claims if c["claim_type"] == "blame"]
    database.replace_links(db, incident_links(incidents, statements), disputes(denials, blames))


def link_statements(db, incidents, statement_ids, incident_ids=()):
    """Replace the links of `statement_ids`, and summarise again `incident_ids` besides
    the incidents those statements leave or join."""
    ids = {"ids": json.dumps(sorted(statement_ids))}
    statements = db.query(f"{STATEMENTS} where s.id {IN_IDS}", ids)
    links = incident_links(incidents, statements)
    # by statement (the unary + keeps claim_type's index, all claims of a type, out)
    own = list(db.query(f"{CLAIMS} where c.statement_id {IN_IDS} and +c.claim_type in ('blame', 'denial')", ids))
    found = []
    for claim in own:
        if claim["claim_type"] == "denial":
            found += disputes([claim], blames_aimed_at(db, deniers(claim), claim["said_at"]))
        elif claim["target_actor_id"]:
            found += disputes(denials_by(db, claim["target_actor_id"], claim["said_at"]), [claim])
    database.replace_links_of(db, statement_ids, links, found, incident_ids)


def blames_aimed_at(db, actor_ids, said_at):
    """The blames aimed at `actor_ids` that may dispute with words said at `said_at`."""
    ids = {"ids": json.dumps(sorted(actor_ids))}
    if said_at is None:   # on no known day: any blame at them, by target
        return list(db.query(f"{CLAIMS} where c.target_actor_id {IN_IDS} and c.claim_type = 'blame'", ids))
    window, bounds = around(said_at)
    # the statements said around it, by day (CROSS JOIN keeps the order, the unary + keeps the
    # claims' other indexes out): as many at any size of the database
    return list(db.query(f"{STATEMENTS_CLAIMS} where ({window}) and +c.target_actor_id {IN_IDS} "
                         "and +c.claim_type = 'blame'", {**ids, **bounds}))


def denials_by(db, actor_id, said_at):
    """The denials said by `actor_id`, or by its members (an organisation), that may dispute
    with words said at `said_at`: the statements said around it, by day, or when it was
    said on no known day, all the speakers' statements."""
    window, bounds = around(said_at) if said_at is not None else ("1", {})
    return list(db.query(
        f"{STATEMENTS_CLAIMS} where ({window}) and s.actor_id in "
        "(select :actor union select id from actors where organisation_id = :actor) "
        "and +c.claim_type = 'denial'", {"actor": actor_id, **bounds}))


def around(said_at):
    """SQL keeping the statements `s` that may dispute with words said at `said_at` (said
    near its day, or on no known day), and its parameters."""
    day = _day(said_at)
    if day is None:   # no day to compare: only those said on no known day
        return "s.said_at is null", {}
    window = timedelta(days=DISPUTE_WINDOW_DAYS)
    return ("s.said_at is null or s.said_at >= :since and s.said_at < :until",
            {"since": (day - window).isoformat(), "until": (day + window + timedelta(days=1)).isoformat()})


def _day(value):
    """The day an ISO date or datetime starts with, else None."""
    text = str(value)[:10]
    try:
        return date.fromisoformat(text) if ISO_DAY.fullmatch(text) else None
    except ValueError:
        return None


def incident_links(incidents, statements):
    """[(incident id, statement id)] of `statements` (rows of STATEMENTS)."""
    dated = sorted(((day, s) for s in statements if (day := _day(s["said_at"] or ""))), key=lambda d: d[0])
    days = [day for day, _ in dated]
    links = []
    for incident in incidents:
        start = _day(incident["start"])
        end = _day(incident.get("end")) or start + timedelta(days=INCIDENT_DEFAULT_DAYS)
        keywords = [fold(k) for k in incident.get("keywords", [])]
        actors = set(incident.get("actors", []))
        for _, s in dated[bisect_left(days, start):bisect_right(days, end)]:   # said within its days
            words = fold(f"{s['text']} {s['title'] or ''}")
            if any(k in words for k in keywords) or {s["actor_id"], s["organisation_id"]} & actors:
                links.append((incident["id"], s["id"]))
    return links


def deniers(denial):
    return {denial["actor_id"], denial["organisation_id"]} - {None}


def disputes(denials, blames):
    """[(denial's statement, blame's statement, reason)] of each denial (rows of CLAIMS)
    against the blames aimed at its speaker or their organisation said near it. Blames
    are looked up by target and day: no pair is compared."""
    by_day = defaultdict(list)      # (target, day) → blames; day None: said on no known day
    by_target = defaultdict(list)
    for blame in blames:
        if blame["target_actor_id"]:
            by_target[blame["target_actor_id"]].append(blame)
            day = None if blame["said_at"] is None else _day(blame["said_at"])
            if blame["said_at"] is None or day:   # a said_at that is no date is near no day
                by_day[blame["target_actor_id"], day].append(blame)

    def near(denial, target):
        if denial["said_at"] is None:
            return by_target[target]
        day = _day(denial["said_at"])
        days = [day + timedelta(days=n) for n in range(-DISPUTE_WINDOW_DAYS, DISPUTE_WINDOW_DAYS + 1)] if day else []
        return [blame for d in [None, *days] for blame in by_day[target, d]]

    return [(denial["id"], blame["id"], DISPUTE_REASON)
            for denial in denials for target in deniers(denial) for blame in near(denial, target)
            if blame["id"] != denial["id"]]

"""Incidents and disputes: which statements an incident holds, which denial answers which blame.

A statement belongs to an incident when it was said within the incident's days and names
one of its keywords (in its words or its document's title) or is said by one of its
actors (or a member of one). A denial disputes a blame aimed at its speaker (or at their
organisation) said within DISPUTE_WINDOW_DAYS of it.

`link_all` computes every link; `link_statements` only those of some statements (the
ones added, or whose date or utterance changed), finding their counterparts through
indexes: blames by target, denials by speaker and by the speaker's organisation.
"""

import json
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
IN_IDS = "in (select value from json_each(:ids))"


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
    window, params = near(said_at)
    return list(db.query(f"{CLAIMS} where c.target_actor_id {IN_IDS} and c.claim_type = 'blame' {window}",
                         {"ids": json.dumps(sorted(actor_ids)), **params}))


def denials_by(db, actor_id, said_at):
    """The denials said by `actor_id`, or by its members (an organisation), that may dispute
    with words said at `said_at`."""
    window, params = near(said_at)
    # the speakers' statements by their index, then their claims (CROSS JOIN keeps the order, the
    # unary + keeps claim_type's index out): not every denial
    return list(db.query(
        "select c.claim_type, c.target_actor_id, s.id, s.actor_id, s.said_at, a.organisation_id "
        "from statements s cross join claims c on c.statement_id = s.id "
        "left join actors a on a.id = s.actor_id "
        "where +c.claim_type = 'denial' and s.actor_id in "
        f"(select :actor union select id from actors where organisation_id = :actor) {window}",
        {"actor": actor_id, **params}))


def near(said_at):
    """SQL keeping the statements `s` said within the dispute window of `said_at`, or on
    no day `_day` reads (they dispute with any), and its parameters. A prefilter only:
    `disputes` decides."""
    day = _day(said_at or "")
    if day is None:
        return "", {}
    window = timedelta(days=DISPUTE_WINDOW_DAYS)
    # a day SQLite's date() does not give back unchanged is one Python may not read either
    return ("and (s.said_at is null or substr(s.said_at, 1, 10) between :since and :until "
            "or date(substr(s.said_at, 1, 10)) is not substr(s.said_at, 1, 10) or s.said_at < '0001')",
            {"since": (day - window).isoformat(), "until": (day + window).isoformat()})


def _day(value):
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def incident_links(incidents, statements):
    """[(incident id, statement id)] of `statements` (rows of STATEMENTS)."""
    statements = list(statements)
    links = []
    for incident in incidents:
        start = _day(incident["start"])
        end = _day(incident.get("end")) or start + timedelta(days=INCIDENT_DEFAULT_DAYS)
        keywords = [fold(k) for k in incident.get("keywords", [])]
        actors = set(incident.get("actors", []))
        for s in statements:
            day = _day(s["said_at"] or "")
            if day is None or not start <= day <= end:
                continue
            words = fold(f"{s['text']} {s['title'] or ''}")
            if any(k in words for k in keywords) or {s["actor_id"], s["organisation_id"]} & actors:
                links.append((incident["id"], s["id"]))
    return links


def deniers(denial):
    return {denial["actor_id"], denial["organisation_id"]} - {None}


def disputes(denials, blames):
    """[(denial's statement, blame's statement, reason)] of each denial (rows of CLAIMS)
    against the blames aimed at its speaker or their organisation."""
    blames_by_target = defaultdict(list)
    for blame in blames:
        if blame["target_actor_id"]:
            blames_by_target[blame["target_actor_id"]].append(blame)
    found = []
    for denial in denials:
        denial_day = _day(denial["said_at"] or "")
        for target in deniers(denial):
            for blame in blames_by_target[target]:
                blame_day = _day(blame["said_at"] or "")
                if blame["id"] != denial["id"] and (
                        denial_day is None or blame_day is None
                        or abs((denial_day - blame_day).days) <= DISPUTE_WINDOW_DAYS):
                    found.append((denial["id"], blame["id"], DISPUTE_REASON))
    return found

"""The analysis stage: new and changed documents → statements, actors, claims, links.

Only documents whose text changed since their last analysis are read
(`documents.analyzed_hash`); each document's statements are replaced in one
transaction, with ids derived from document, offsets, text and speaker.
"""

from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from claimline import ClaimlineError, db as database
from claimline.config import load_incidents
from claimline.press_releases import is_press_release
from claimline.utterances import group_utterances
from claimline.nlp.actors import ActorResolver, slug
from claimline.nlp.lexicon import fold

DISPUTE_WINDOW_DAYS = 3
INCIDENT_DEFAULT_DAYS = 14


def seed_actors(db, actors_file):
    """Upsert the curated actors of `actors_file` (actors.yml)."""
    if not actors_file or not Path(actors_file).exists():
        return
    try:
        actors = yaml.safe_load(Path(actors_file).read_text(encoding="utf-8"))["actors"]
    except (yaml.YAMLError, KeyError, TypeError):
        raise ClaimlineError(f"{actors_file}: expected a list under 'actors:'") from None
    with db.atomic():
        for actor in actors:
            actor_id = actor.get("id") or slug(actor["name"])
            aliases = [(actor["name"], fold(actor["name"]), "name")]
            aliases += [(alias, fold(alias), "handle" if alias.startswith("@") else "alias")
                        for alias in actor.get("aliases", [])]
            database.save_actor(db, {
                "id": actor_id, "name": actor["name"], "type": actor.get("type", "person"),
                "role": actor.get("role"), "organisation_id": actor.get("organisation"),
                "gender": actor.get("gender"), "curated": 1,
            }, aliases)


def known_outlets(db):
    """The outlets the database has crawled: they report what others say more than they speak."""
    return [r["outlet"] for r in db.query("select distinct outlet from documents where outlet is not null and kind = 'article'")]


def document_context(db, document, outlets=()):
    source = next(db["sources"].rows_where("id = ?", [document["source_id"]]), None) or {}
    kind = document["kind"]
    owner = document["author"] if kind == "post" else source.get("owner")
    if kind == "article" and not owner and document["outlet"] \
            and is_press_release(document["url"], document["text"]):
        kind, owner = "press_release", document["outlet"]
    posts = [(p["author"], p["text"]) for p in db.query(
        "select author, text from documents where parent_id = ? and kind = 'post'", [document["id"]])]
    site = [document["outlet"] or "", urlsplit(document["url"] or "").hostname or ""]
    return {"published_at": document["published_at"], "document_kind": kind,
            "owner": owner, "posts": posts, "site": site, "outlets": list(outlets), "document": document}


def pipeline_lang(document):
    """The pipeline a document is read with: its language's, French for the others."""
    return document["lang"] if document["lang"] in ("fr", "en") else "fr"


def statement_rows(statements, resolver, lang):
    rows = []
    for statement in statements:
        actor_id = resolver.resolve(statement.speaker_text, statement.speaker_role)
        claims = []
        for claim in statement.claims:
            target_id = resolver.match(claim.get("target_text") or "") or resolver.match(statement.text)
            claims.append({**claim, "target_actor_id": target_id if target_id != actor_id else None})
        rows.append({
            "actor_id": actor_id, "speaker_text": statement.speaker_text, "text": statement.text,
            "kind": statement.kind, "said_at": statement.said_at,
            "said_at_precision": statement.said_at_precision, "said_at_text": statement.said_at_text,
            "reporting_verb": statement.reporting_verb, "start_char": statement.start_char,
            "end_char": statement.end_char, "confidence": statement.confidence, "lang": lang,
            "claims": claims,
        })
    return rows


def analyze(db, actors_file=None, incidents_file=None, progress=None, workers=1):
    """Analyse what changed; returns counts for the `runs` table.

    `progress(stage, done, total)` hears of each document analysed; `workers` processes
    parse (one per core is fastest; each adds the parse's working memory)."""
    seed_actors(db, actors_file)
    resolver = ActorResolver(database.actor_aliases(db))
    by_lang = defaultdict(list)
    to_analyze = database.documents_to_analyze(db)
    for document in to_analyze:
        by_lang[pipeline_lang(document)].append(document)
    documents = statements_new = 0
    for lang, docs in by_lang.items():
        # here, not above: importing spaCy takes 1.5 s, most of a refresh that finds nothing new
        from claimline.nlp.pipeline import statements_of
        outlets = known_outlets(db)
        items = [(d["text"] or "", document_context(db, d, outlets)) for d in docs]
        for statements, context in statements_of(lang, items, workers):
            rows = statement_rows(statements, resolver, lang)
            with db.atomic():  # a document's new actors and its statements, or neither
                for actor_id in {r["actor_id"] for r in rows} & set(resolver.new):
                    database.save_actor(db, *resolver.new.pop(actor_id))
                old, new = database.replace_statements(db, context["document"], rows)
            documents += 1
            statements_new += max(0, new - old)
            if progress:
                progress("analyze", documents, len(to_analyze))
    # dates learnt from other reports of the same words decide incidents and disputes
    group_utterances(db)
    link_incidents_and_disputes(db, incidents_file)
    return {"documents_analyzed": documents, "statements_new": statements_new}


# -- incidents and disputes -----------------------------------------------------

def _day(value):
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def link_incidents_and_disputes(db, incidents_file):
    incidents = load_incidents(incidents_file) if incidents_file else []
    database.save_incidents(db, incidents)
    statements = list(db.query(
        "select s.id, s.text, s.said_at, s.actor_id, a.organisation_id, d.title "
        "from statements s join documents d on d.id = s.document_id "
        "left join actors a on a.id = s.actor_id"))
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
    database.replace_links(db, links, find_disputes(db))


def find_disputes(db):
    """Each denial against the blames aimed at its speaker (or their organisation)."""
    claims = list(db.query(
        "select c.claim_type, c.target_actor_id, s.id, s.actor_id, s.said_at, a.organisation_id "
        "from claims c join statements s on s.id = c.statement_id "
        "left join actors a on a.id = s.actor_id where c.claim_type in ('blame', 'denial')"))
    blames = [c for c in claims if c["claim_type"] == "blame" and c["target_actor_id"]]
    disputes = []
    for denial in (c for c in claims if c["claim_type"] == "denial"):
        deniers = {denial["actor_id"], denial["organisation_id"]} - {None}
        denial_day = _day(denial["said_at"] or "")
        for blame in blames:
            blame_day = _day(blame["said_at"] or "")
            if blame["target_actor_id"] in deniers and blame["id"] != denial["id"] and (
                    denial_day is None or blame_day is None
                    or abs((denial_day - blame_day).days) <= DISPUTE_WINDOW_DAYS):
                disputes.append((denial["id"], blame["id"], "denies a blame aimed at its speaker"))
    return disputes

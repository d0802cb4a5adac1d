"""The analysis stage: new and changed documents → statements, actors, claims, links.

Only documents whose text changed since their last analysis are read
(`documents.analyzed_hash`); each document's statements are replaced in one
transaction, with ids derived from document, offsets, text and speaker. Utterances and
links are then recomputed only around the statements that changed
(`update_utterances_and_links`).
"""

import hashlib
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from claimline import ClaimlineError, db as database
from claimline.config import YAML_LOADER, load_incidents
from claimline.linking import link_all, link_statements
from claimline.press_releases import is_press_release
from claimline.utterances import group_utterances, regroup
from claimline.nlp.actors import ActorResolver, slug
from claimline.nlp.lexicon import fold


def seed_actors(db, actors_file):
    """Upsert the curated actors of `actors_file` (actors.yml), unless they were from this
    very file (its hash, in `analysis_state`)."""
    if not actors_file or not Path(actors_file).exists():
        return
    text = Path(actors_file).read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if database.analysis_state(db, "actors_seeded") == digest:
        return
    try:
        actors = yaml.load(text, Loader=YAML_LOADER)["actors"]
    except (yaml.YAMLError, KeyError, TypeError):
        raise ClaimlineError(f"{actors_file}: expected a list under 'actors:'") from None
    with db.atomic():
        database.set_analysis_state(db, "actors_seeded", digest)
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
    to_analyze = database.documents_to_analyze(db)
    counts = analyze_documents(db, to_analyze, progress, workers) if to_analyze else \
        {"documents_analyzed": 0, "statements_new": 0}
    # dates learnt from other reports of the same words decide incidents and disputes
    update_utterances_and_links(db, incidents_file, actors_file)
    return counts


def analyze_documents(db, to_analyze, progress, workers):
    resolver = ActorResolver(database.actor_aliases(db))
    by_lang = defaultdict(list)
    for document in to_analyze:
        by_lang[pipeline_lang(document)].append(document)
    documents = statements_new = 0
    outlets = known_outlets(db) if by_lang else []
    for lang, docs in by_lang.items():
        # here, not above: importing spaCy takes 1.5 s, most of a refresh that finds nothing new
        from claimline.nlp.pipeline import statements_of
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
    return {"documents_analyzed": documents, "statements_new": statements_new}


# -- utterances and links -------------------------------------------------------

def link_inputs(incidents_file, actors_file):
    """A hash of what links are computed from besides statements: incidents.yml, and
    actors.yml (names and organisations)."""
    digest = hashlib.sha256()
    for path in (incidents_file, actors_file):
        digest.update(Path(path).read_bytes() if path and Path(path).exists() else b"")
        digest.update(b"\0")
    return digest.hexdigest()


def update_utterances_and_links(db, incidents_file=None, actors_file=None, full=False):
    """Bring utterances and incident and dispute links up to date with the statements, in
    one transaction: all of them again when incidents.yml or actors.yml changed (or
    `full`), else only around the statements added or removed since the last time.
    Nothing when no statement changed."""
    inputs = link_inputs(incidents_file, actors_file)
    with db.atomic():
        if full or database.analysis_state(db, "link_inputs") != inputs:
            incidents = load_incidents(incidents_file) if incidents_file else []
            database.save_incidents(db, incidents)
            group_utterances(db)
            link_all(db, incidents)
            database.set_analysis_state(db, "link_inputs", inputs)
        else:
            relink_around_changes(db, incidents_file)
        database.clear_pending(db)


def relink_around_changes(db, incidents_file):
    """Regroup the speakers of the statements added or removed (`db.pending_changes`), and
    relink the statements added and those whose utterance or date moved."""
    pending, incident_ids = database.pending_changes(db)
    if pending or incident_ids:
        moved = regroup(db, {r["actor_id"] for r in pending if r["actor_id"]})
        incidents = load_incidents(incidents_file) if incidents_file else []
        link_statements(db, incidents, moved | {r["statement_id"] for r in pending}, incident_ids)

"""Utterances and links recomputed around the changed statements equal a full recomputation."""

import random
import sqlite3

import pytest

from claimline import db as database
from claimline.analyze import seed_actors, update_utterances_and_links

# words of our own: each speaker says parts of these, so reports overlap in runs of words
SENTENCES = [
    "les serveurs de la région ont cessé de répondre dès huit heures ce matin",
    "nous ne sommes en rien responsables de cette panne des espaces numériques",
    "le prestataire porte seul la responsabilité de la coupure des services",
    "une attaque par déni de service a saturé les plateformes toute la matinée",
    "les familles pourront de nouveau se connecter dès demain matin sans difficulté",
    "aucune donnée personnelle des élèves n'a été dérobée pendant l'incident",
]
ACTORS = {"ministre": "ministere", "recteur": "ministere", "directeur": "hebergeur",
          "porte-parole": "hebergeur", "ministere": None, "hebergeur": None, "syndicat": None}
INCIDENTS = """incidents:
  - id: panne
    name: La panne des espaces numériques
    start: 2021-04-05
    end: 2021-04-09
    keywords: [panne, coupure]
  - id: attaque
    name: L'attaque
    start: 2021-04-08
    keywords: [attaque]
    actors: [hebergeur]
  - id: seule
    name: Ce que dit un seul document
    start: 2021-04-01
    end: 2021-04-30
    keywords: [titre 05]
"""
TABLES = {
    "statements": "select id, utterance_id, said_at, said_at_precision, said_at_text from statements",
    "incident_statements": "select * from incident_statements",
    "disputes": "select * from disputes",
    "incidents": "select * from incidents",
    "incident_claims": "select * from incident_claims",
    "incident_speakers": "select * from incident_speakers",
}


def statements(rng, count):
    """`count` statements of the same few speakers, on days around the incidents."""
    made, offset = [], 0
    for _ in range(count):
        words = rng.choice(SENTENCES).split()
        start = rng.randrange(len(words) - 2)
        text = " ".join(words[start:start + rng.choice([3, 4, 6, 12])])
        actor_id = rng.choice([*ACTORS, None])
        dated = rng.random() > 0.15   # the others said on no known day, or on a said_at that is no date
        day = f"2021-04-{rng.randrange(3, 13):02}" if dated else rng.choice([None, "vers midi"])
        claim = rng.choice([None, "blame", "denial", "outage_report"])
        made.append({
            "text": text, "speaker_text": actor_id or "un témoin", "actor_id": actor_id, "kind": "direct",
            "said_at": day, "said_at_precision": rng.choice(["day", "published", "published"]) if dated else "unknown",
            "said_at_text": "ce jour", "start_char": offset, "end_char": offset + len(text),
            "claims": [{"claim_type": claim, "target_actor_id": rng.choice([*ACTORS, None]),
                        "polarity": -1 if claim == "denial" else 1}] if claim else [],
        })
        offset += len(text) + 1
    return made


def save(db, rng, url, published_at, count):
    rows = statements(rng, count)
    # a paragraph break after some statements: the next ones are another occasion
    text = "".join(s["text"] + rng.choice([" ", "\n"]) for s in rows)
    database.save_document(db, {"url": url, "kind": "article", "title": f"Titre {url[-2:]}",
                                "text": text, "published_at": published_at})
    document = db["documents"].get(database.document_id(url))
    database.replace_statements(db, document, rows)


def copy(db, path):
    target = sqlite3.connect(path)
    db.conn.backup(target)
    target.close()
    return database.open_db(path)


def contents(db):
    return {name: sorted(db.execute(sql).fetchall(), key=repr) for name, sql in TABLES.items()}


@pytest.fixture
def linked(tmp_path):
    """A database of 40 documents whose utterances and links are computed, and its incidents.yml."""
    rng = random.Random(12)
    db = database.open_db(tmp_path / "claimline.db")
    for actor_id, organisation_id in ACTORS.items():
        database.save_actor(db, {"id": actor_id, "name": actor_id.title(), "type": "person",
                                 "organisation_id": organisation_id, "curated": 1}, [])
    for number in range(40):
        save(db, rng, f"https://example.org/{number:02}", f"2021-04-{rng.randrange(4, 14):02}T10:00", 6)
    incidents = tmp_path / "incidents.yml"
    incidents.write_text(INCIDENTS, encoding="utf-8")
    update_utterances_and_links(db, incidents)
    return db, incidents, rng


def test_the_data_exercises_what_is_compared(linked):
    db, _, _ = linked
    assert db.execute("select count(*) from (select 1 from statements group by utterance_id "
                      "having count(*) > 1)").fetchone()[0] > 10
    assert db.execute("select count(*) from statements where said_at_precision = 'first_report'").fetchone()[0] > 10
    assert db["disputes"].count > 10
    assert db.execute("select count(distinct incident_id) from incident_statements").fetchone()[0] == 3


def test_changed_documents_relink_as_a_full_recomputation_would(linked, tmp_path):
    db, incidents, rng = linked
    for number in (3, 8, 11, 17, 21, 29, 33, 36):   # edited
        save(db, rng, f"https://example.org/{number:02}", "2021-04-07T10:00", 5)
    for number in (5, 23):           # emptied: every statement removed (all of incident "seule")
        document = db["documents"].get(database.document_id(f"https://example.org/{number:02}"))
        database.replace_statements(db, document, [])
    for number in (40, 41):          # new
        save(db, rng, f"https://example.org/{number:02}", "2021-04-03T10:00", 6)
    full = copy(db, tmp_path / "full.db")
    update_utterances_and_links(db, incidents)
    update_utterances_and_links(full, incidents, full=True)
    assert contents(db) == contents(full)
    assert db["pending_statements"].count == 0


def test_nothing_changed_writes_nothing_and_is_what_a_full_recomputation_gives(linked, tmp_path):
    db, incidents, _ = linked
    changes = db.conn.total_changes
    update_utterances_and_links(db, incidents)
    assert db.conn.total_changes == changes
    full = copy(db, tmp_path / "full.db")
    update_utterances_and_links(full, incidents, full=True)
    assert contents(db) == contents(full)


def test_an_edited_incidents_file_relinks_everything(linked, tmp_path):
    db, incidents, _ = linked
    incidents.write_text(INCIDENTS + """  - id: retour
    name: Le retour
    start: 2021-04-10
    keywords: [connecter]
""", encoding="utf-8")
    full = copy(db, tmp_path / "full.db")
    update_utterances_and_links(db, incidents)
    update_utterances_and_links(full, incidents, full=True)
    assert db.execute("select count(*) from incident_statements where incident_id = 'retour'").fetchone()[0] > 0
    assert contents(db) == contents(full)


def test_actors_are_seeded_again_only_when_their_file_changed(tmp_path):
    db = database.open_db(tmp_path / "claimline.db")
    actors = tmp_path / "actors.yml"
    actors.write_text("actors:\n  - name: Jean Dupont\n    role: recteur\n", encoding="utf-8")
    seed_actors(db, actors)
    changes = db.conn.total_changes
    seed_actors(db, actors)
    assert db.conn.total_changes == changes
    actors.write_text("actors:\n  - name: Jean Dupont\n    role: ministre\n", encoding="utf-8")
    seed_actors(db, actors)
    assert db["actors"].get("jean-dupont")["role"] == "ministre"

"""`claimline analyze` when nothing changed, and when one document changed, at two sizes.

Builds, for each size, a database of that many statements written straight through
`claimline.db` (documents, statements, claims; no NLP), brings its utterances and links
up to date once (a full recomputation, timed too), then times:

- an `analyze` that finds nothing new;
- an `analyze` after one document's statements were replaced, as its analysis would
  replace them (the NLP of that one document, the same at any size, is left out).

It prints the median of each and the ratio of the largest size to the smallest: the
target is an unchanged analysis costing at 100,000 statements what it costs at 1,000.

The database grows as a real one does, night after night: the days it covers, its
speakers and its incidents grow with it (STATEMENTS_PER_DAY, STATEMENTS_PER_SPEAKER,
an incident every INCIDENT_EVERY_DAYS days), its ten organisations do not (they are
blamed more and more). A document quotes a few speakers, said in the days before it
was published; half its statements repeat one of their speaker's sayings, so
utterances have several reports; one in five blames an organisation, one in ten denies.

    .venv/bin/python benchmarks/bench_incremental_analyze.py
    .venv/bin/python benchmarks/bench_incremental_analyze.py --sizes 1000 10000 --repeat 3
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from claimline import db as database
from claimline.analyze import analyze

STATEMENTS_PER_DOCUMENT = 10
SPEAKERS_PER_DOCUMENT = 4
STATEMENTS_PER_SPEAKER = 50        # speakers grow with the database, each says about this many
STATEMENTS_PER_DAY = 100           # so does the time it covers: a database grows night after night
ORGANISATIONS = 10
INCIDENT_EVERY_DAYS = 20
WORDS = ("panne serveurs réseau académie élèves familles parents enseignants plateforme espace "
         "numérique connexion coupure prestataire hébergeur attaque service données incident "
         "ministère rectorat lundi matin demain semaine cours devoirs messagerie accès").split()
START = date(2021, 1, 1)


def incidents_yml(days, rng):
    """An incident every INCIDENT_EVERY_DAYS days, a week long, with two keywords."""
    lines = ["incidents:"]
    for number, first in enumerate(range(0, days, INCIDENT_EVERY_DAYS)):
        lines += [f"  - id: incident-{number}", f"    name: Incident {number}",
                  f"    start: {START + timedelta(days=first)}",
                  f"    end: {START + timedelta(days=first + 6)}",
                  f"    keywords: [{', '.join(rng.sample(WORDS, 2))}]",
                  f"    actors: [organisation-{number % ORGANISATIONS}]"]
    return "\n".join(lines) + "\n"


def statements_of(rng, world, published):
    """One document's statements: a few speakers, said in the days before it was published;
    half quote one of their speaker's sayings (the same words reported by several
    documents), half say something new."""
    speakers = rng.sample(world["speakers"], min(SPEAKERS_PER_DOCUMENT, len(world["speakers"])))
    rows, offset = [], 0
    for _ in range(STATEMENTS_PER_DOCUMENT):
        speaker = rng.choice(speakers)
        if rng.random() < 0.5:
            text = rng.choice(world["sayings"][speaker])
        else:
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(6, 20)))
        claim = rng.choices([None, "blame", "denial"], [7, 2, 1])[0]
        rows.append({
            "actor_id": speaker, "speaker_text": speaker, "text": text, "kind": "direct",
            "said_at": (published - timedelta(days=rng.randrange(3))).isoformat(),
            "said_at_precision": rng.choice(["day", "published"]),
            "start_char": offset, "end_char": offset + len(text),
            "claims": [{"claim_type": claim, "target_actor_id": f"organisation-{rng.randrange(ORGANISATIONS)}",
                        "polarity": -1 if claim == "denial" else 1}] if claim else [],
        })
        offset += len(text) + 2
    return rows


def build(path, size, rng):
    """A database of `size` statements, and the world they were drawn from."""
    db = database.open_db(path)
    speakers = [f"speaker-{n}" for n in range(max(1, size // STATEMENTS_PER_SPEAKER))]
    world = {"speakers": speakers, "days": max(1, size // STATEMENTS_PER_DAY),
             "sayings": {s: [" ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(5)] for s in speakers}}
    with db.atomic():
        for n in range(ORGANISATIONS):
            database.save_actor(db, {"id": f"organisation-{n}", "name": f"Organisation {n}",
                                     "type": "organisation", "curated": 1}, [])
        for n, speaker in enumerate(speakers):
            database.save_actor(db, {"id": speaker, "name": f"Speaker {n}", "type": "person", "curated": 1,
                                     "organisation_id": f"organisation-{n % ORGANISATIONS}"}, [])
    for number in range(size // STATEMENTS_PER_DOCUMENT):
        with db.atomic():
            save_document(db, rng, world, number)
    return db, world


def save_document(db, rng, world, number, version=""):
    """Document `number` with new statements, replaced as its analysis would replace them."""
    published = START + timedelta(days=rng.randrange(world["days"]))
    statements = statements_of(rng, world, published)
    url = f"https://example.org/{number}"
    text = "\n".join(s["text"] for s in statements) + version
    database.save_document(db, {"url": url, "kind": "article", "title": f"Article {number}",
                                "text": text, "published_at": published.isoformat()})
    database.replace_statements(db, db["documents"].get(database.document_id(url)), statements)


def timed(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def measure(size, repeat, folder):
    rng = random.Random(size)
    started = time.perf_counter()
    db, world = build(Path(folder) / f"{size}.db", size, rng)
    built = time.perf_counter() - started
    incidents = Path(folder) / f"incidents-{size}.yml"
    incidents.write_text(incidents_yml(world["days"], rng), encoding="utf-8")
    full = timed(lambda: analyze(db, incidents_file=incidents))
    unchanged = [timed(lambda: analyze(db, incidents_file=incidents)) for _ in range(repeat)]
    changed = []
    for attempt in range(repeat):
        save_document(db, rng, world, rng.randrange(size // STATEMENTS_PER_DOCUMENT), version=f" v{attempt}")
        changed.append(timed(lambda: analyze(db, incidents_file=incidents)))
    db.close()
    return {"build": built, "full": full, "unchanged": statistics.median(unchanged),
            "changed": statistics.median(changed)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000],
                        help="numbers of statements (default: 1000 100000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed analyses of each kind (median)")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            print(f"building {size:,} statements…", file=sys.stderr)
            results[size] = measure(size, args.repeat, folder)
    print(f"{'statements':>12} {'build s':>9} {'full s':>9} {'unchanged ms':>13} {'1 changed ms':>13}")
    for size, r in results.items():
        print(f"{size:>12,} {r['build']:>9.1f} {r['full']:>9.2f} {r['unchanged'] * 1000:>13.1f} "
              f"{r['changed'] * 1000:>13.1f}")
    small, large = results[min(results)], results[max(results)]
    print(f"ratio {max(results):,} / {min(results):,}: unchanged {large['unchanged'] / small['unchanged']:.2f}, "
          f"1 changed {large['changed'] / small['changed']:.2f}, full {large['full'] / small['full']:.0f}")


if __name__ == "__main__":
    main()

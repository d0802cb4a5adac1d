"""Serving speed at 1M statements: p50/p95 of the site's pages and stored queries.

    python benchmarks/bench_serving.py                       # builds /tmp/claimline-serving-1000000.db once
    python benchmarks/bench_serving.py --db big.db --requests 50
    python benchmarks/bench_serving.py --statements 100000   # a quicker look (own cache file)

Builds a synthetic database with the real schema (`claimline.db.open_db`, which also
upgrades a file built by an older claimline: new columns, indexes, views): 200,000
documents from 40 outlets over four years, five statements each (French sentences
assembled from word lists), 3,000 actors in 300 organisations, about 0.6 claims per
statement, 40 incidents (the measured one, cned-avril-2021, holds 10,000 statements over
three days; the others about 2,500 each, said within their ten days, as claimline's
linking keeps them) and 20,000 disputes; 2 % of documents have a second version. The
file is kept, so a rerun only measures. Requests go through Datasette's in-process
client (no network: what the plugins and SQLite cost), one at a time, after a few
warm-up requests.
"""

import argparse
import asyncio
import contextlib
import io
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimline import db as database  # noqa: E402
from claimline.site import METADATA, build_datasette  # noqa: E402

INCIDENT = "cned-avril-2021"
# Share of the statements said during another incident's days that belong to it: about
# 10 % of all statements, 2,500 an incident.
LINKED_IN_WINDOW = 0.37
STATEMENTS_PER_DOCUMENT = 5
WARMUP = 3

SUBJECTS = [
    "la plateforme", "le service", "l'hébergeur", "le ministère", "notre équipe", "le prestataire",
    "l'opérateur", "le réseau", "le site", "l'application", "le centre de données", "la messagerie",
    "l'espace numérique de travail", "le serveur principal", "la société", "le gouvernement",
]
VERBS = [
    "a subi", "n'a pas subi", "a connu", "a été victime d'", "a résisté à", "dément",
    "reconnaît", "conteste", "subit depuis ce matin", "a signalé", "n'est pas responsable de",
    "a rétabli après", "a déposé plainte après", "a détecté",
]
OBJECTS = [
    "une cyberattaque", "une attaque par déni de service", "une panne générale",
    "une défaillance technique", "un incendie", "une surcharge", "des lenteurs importantes",
    "une coupure d'électricité", "une erreur de configuration", "des connexions massives",
    "une intrusion", "un incident réseau", "une saturation des serveurs", "une mise à jour ratée",
]
COMPLEMENTS = [
    "dans la matinée", "depuis mardi", "à Strasbourg", "pour des millions d'élèves",
    "sans perte de données", "selon nos premières analyses", "comme l'affirme le ministre",
    "malgré les tests réalisés", "pendant plusieurs heures", "au premier jour du confinement",
    "d'origine étrangère", "de grande ampleur", "jusqu'à nouvel ordre", "dans toute la France",
]
CLAIM_TYPES = ["blame", "denial", "cyberattack", "outage_report", "restoration",
               "complaint_filed", "criticism", "figures"]
VERB_CUES = ["déclarer", "affirmer", "expliquer", "indiquer", "assurer", "démentir", "selon"]
FIRST_NAMES = ["Jean", "Marie", "Michel", "Sophie", "Pierre", "Claire", "Octave", "Nadia",
               "Louis", "Camille", "Paul", "Julie", "Karim", "Anne", "Hugo"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Paulin", "Blanquer", "Klaba", "Moreau", "Laurent",
              "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
              "Fournier", "Girard", "Bonnet", "Dupont"]
ORG_WORDS = ["Ministère", "Syndicat", "Région", "Société", "Agence", "Collectif", "Fédération",
             "Observatoire", "Direction", "Académie"]
ORG_NAMES = ["du numérique", "des enseignants", "de l'Éducation", "Nord", "OVH", "CNED",
             "des parents", "des réseaux", "Grand Est", "de cybersécurité"]


def sentence(rng):
    return (f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"{rng.choice(COMPLEMENTS)}, {rng.choice(COMPLEMENTS)}.").replace("d' ", "d'")


def build(path, documents, seed=2021):
    """Fill a fresh database at `path`; indexes and FTS are built after the rows."""
    rng = random.Random(seed)
    db = database.open_db(path)
    # Bulk load without the indexes and FTS triggers; ensure_schema puts them back.
    for (name,) in db.execute("select name from sqlite_master where type = 'index' and sql is not null").fetchall():
        db.execute(f"drop index [{name}]")
    for table in database.FTS:
        db[table].disable_fts()
    conn = db.conn
    conn.execute("pragma foreign_keys = off")
    conn.execute("pragma synchronous = off")

    organisations = [(f"org-{i}", f"{ORG_WORDS[i % 10]} {ORG_NAMES[i // 10 % 10]} {i}", "organisation", None, None)
                     for i in range(300)]
    people = [(f"person-{i}", f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {i}", "person",
               rng.choice(["ministre", "directeur", "porte-parole", "secrétaire général"]),
               rng.choice(organisations)[0]) for i in range(2700)]
    actors = organisations + people
    # A few actors speak a lot, most rarely (as in the press).
    speaker_weights = list(accumulate(1 / (rank + 1) for rank in range(len(actors))))
    # 39 incidents of ten days, one every 37 days, and the measured one
    windows = [(date(2019, 1, 1) + timedelta(days=37 * i), f"incident-{i}") for i in range(39)]
    incident_of_day = {start + timedelta(days=d): incident for start, incident in windows for d in range(10)}
    incidents = [(incident, f"Incident {incident[9:]}", "service", start.isoformat(),
                  (start + timedelta(days=9)).isoformat()) for start, incident in windows]
    incidents.append((INCIDENT, "CNED : Ma classe à la maison en panne", "Ma classe à la maison",
                      "2021-04-06", "2021-04-08"))
    with conn:
        conn.executemany("insert into actors (id, name, type, role, organisation_id, curated) "
                         "values (?, ?, ?, ?, ?, 0)", actors)
        conn.executemany("insert into incidents (id, name, service, start, end) values (?, ?, ?, ?, ?)", incidents)
        database.mark_anonymous(db)

    start = datetime(2019, 1, 1)
    statement_ids = []
    incident_statements = []
    batch = 20_000
    for first in range(0, documents, batch):
        docs, versions, statements, claims = [], [], [], []
        for n in range(first, min(first + batch, documents)):
            url = f"https://outlet{n % 40}.example/articles/{n}"
            doc_id = database.document_id(url)
            in_incident = n % 100 == 0   # 1 % of documents: 2,000 documents, 10,000 statements
            published = (datetime(2021, 4, 6) + timedelta(minutes=rng.randrange(3 * 24 * 60))) if in_incident \
                else start + timedelta(minutes=rng.randrange(4 * 365 * 24 * 60))
            said = [sentence(rng) for _ in range(STATEMENTS_PER_DOCUMENT)]
            text = "\n".join(f"« {s} », a {rng.choice(['déclaré', 'affirmé', 'expliqué'])} un responsable."
                             for s in said)
            title = sentence(rng)[:80]
            fetched = published.isoformat() + "+00:00"
            digest = database.content_hash(title, text)
            docs.append((doc_id, url, url, f"source-{n % 40}", "article", f"Outlet {n % 40}", title,
                         published.isoformat(), "fr", text, digest, fetched, fetched, 1, digest))
            versions.append((doc_id, 1, fetched, digest, title, text))
            if n % 50 == 1:   # 2 % of documents were edited once, a day later
                edited = text + "\nMise à jour : le service est rétabli."
                edited_at = (published + timedelta(days=1)).isoformat() + "+00:00"
                versions.append((doc_id, 2, edited_at, database.content_hash(title, edited), title, edited))
            offset = 0
            for i, words in enumerate(said):
                actor_id, actor_name, *_ = rng.choices(actors, cum_weights=speaker_weights)[0]
                statement_id = database.short_hash(doc_id, i, words)
                # said up to a day before it was published; an incident's within its dates
                since = (published - datetime(2021, 4, 6)) // timedelta(minutes=1) if in_incident else 24 * 60
                said_time = published - timedelta(minutes=rng.randrange(max(1, min(24 * 60, since))))
                said_at = said_time.isoformat(timespec="minutes")
                statements.append((statement_id, doc_id, actor_id, actor_name, words,
                                   rng.choice(["direct", "direct", "indirect", "post"]), said_at, "datetime",
                                   rng.choice(VERB_CUES), offset, offset + len(words), 0.9, "fr",
                                   statement_id))   # each its own utterance, first reported here
                offset += len(words) + 40
                statement_ids.append(statement_id)
                if rng.random() < 0.6:
                    claim_type = rng.choice(CLAIM_TYPES)
                    claims.append((database.short_hash(statement_id, claim_type), statement_id, claim_type,
                                   rng.choice(organisations)[0] if claim_type in ("blame", "denial") else None,
                                   -1 if claim_type == "denial" else 1, rng.choice(VERB_CUES)))
                # as claimline links them: within the incident's days, when the words match
                window = incident_of_day.get(said_time.date())
                incident_statements.append(INCIDENT if in_incident else window
                                           if window and rng.random() < LINKED_IN_WINDOW else None)
        with conn:
            conn.executemany(
                "insert into documents (id, url, fetched_url, source_id, kind, outlet, title, published_at, "
                "lang, text, content_hash, first_seen_at, last_seen_at, version, analyzed_hash) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", docs)
            conn.executemany("insert into document_versions (document_id, version, fetched_at, content_hash, "
                             "title, text) values (?, ?, ?, ?, ?, ?)", versions)
            conn.executemany(
                "insert into statements (id, document_id, actor_id, speaker_text, text, kind, said_at, "
                "said_at_precision, reporting_verb, start_char, end_char, confidence, lang, utterance_id) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", statements)
            conn.executemany("insert into claims (id, statement_id, claim_type, target_actor_id, polarity, cue) "
                             "values (?, ?, ?, ?, ?, ?)", claims)
        print(f"  {min(first + batch, documents):,} documents", file=sys.stderr, end="\r")

    links = [(incident, sid) for incident, sid in zip(incident_statements, statement_ids) if incident]
    in_incident = [sid for incident, sid in links if incident == INCIDENT]
    disputes = [(rng.choice(statement_ids), rng.choice(statement_ids), "denial answers blame")
                for _ in range(19_000)]
    disputes += [(rng.choice(in_incident), rng.choice(in_incident), "denial answers blame") for _ in range(1_000)]
    with conn:
        conn.executemany("insert into incident_statements values (?, ?)", links)
        database.summarise_incident_links(db)
        conn.executemany("insert or ignore into disputes values (?, ?, ?)", disputes)
    print(file=sys.stderr)
    database.ensure_schema(db)
    conn.execute("analyze")
    db.close()


def endpoints(db_path):
    """{name: path}: the pages a reader opens and every stored query of metadata.yml."""
    import yaml

    conn = sqlite3.connect(db_path)
    actor = conn.execute("select speaker_text from statements where rowid = 1").fetchone()[0]
    queries = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["claimline"]["queries"]
    params = {"incident": INCIDENT, "since": "", "until": "", "actor": actor}
    pages = {
        "/ (the incidents)": "/",
        "/incident/ID": f"/incident/{INCIDENT}",
        "/timeline": "/timeline",
        "/timeline?incident": f"/timeline?incident={INCIDENT}",
        "/timeline?claim": "/timeline?claim=denial",
        "/timeline.atom": "/timeline.atom",
        "/timeline.atom?incident": f"/timeline.atom?incident={INCIDENT}",
        "/search (1 word)": "/search?q=cyberattaque",
        "/search (2 words)": "/search?q=d%C3%A9faillance+Strasbourg",
        "statements _search": "/claimline/statements?_search=defaillance",
        "documents _search": "/claimline/documents?_search=incendie",
    }
    for name, query in queries.items():
        wanted = "&".join(f"{p}={params[p]}".replace(" ", "+") for p in params if f":{p}" in query["sql"])
        pages[f"query {name}"] = f"/claimline/{name}?{wanted}"
    return pages


async def measure(datasette, path, requests):
    timings = []
    for i in range(WARMUP + requests):
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):  # Datasette prints tracebacks of errors
            response = await datasette.client.get(path)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            return None, f"HTTP {response.status_code}"
        if i >= WARMUP:
            timings.append(elapsed * 1000)
    return timings, None


async def run(db_path, requests, only=None):
    datasette = build_datasette(db_path)
    await datasette.invoke_startup()
    print(f"{'page':34} {'p50 ms':>8} {'p95 ms':>8}   ({requests} requests each)")
    for name, path in endpoints(db_path).items():
        if only and only not in name:
            continue
        timings, error = await measure(datasette, path, requests)
        if error:
            print(f"{name:34} {error}")
            continue
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"{name:34} {statistics.median(timings):8.1f} {p95:8.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--db", help="where the database is built and kept (default: the temp folder)")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--only", help="measure only the pages whose name contains this ('/timeline', 'query')")
    args = parser.parse_args()
    documents = args.statements // STATEMENTS_PER_DOCUMENT
    db_path = args.db or os.path.join(tempfile.gettempdir(), f"claimline-serving-{args.statements}.db")
    if not os.path.exists(db_path):
        print(f"building {db_path}: {args.statements:,} statements, {documents:,} documents", file=sys.stderr)
        started = time.perf_counter()
        build(db_path, documents)
        print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    else:
        # Indexes added to claimline/db.py since the file was built.
        database.open_db(db_path).close()
    size = sum(os.path.getsize(p) for p in (db_path, db_path + "-wal") if os.path.exists(p))
    print(f"{db_path}: {size / 1e6:,.0f} MB on disk")
    asyncio.run(run(db_path, args.requests, args.only))


if __name__ == "__main__":
    main()

"""Leave one incident out: how the extraction does on incidents it was not built on.

For each incident folder of a corpus laid out like `../shared/corpus` (`train/*/` and
`dev/`, each with `site/` and `gold.jsonl`), the script serves the folder's site on
127.0.0.1, runs a real refresh over its `feed.xml` into a fresh database with **no
curated actors** (a newsroom's new incident has none), scores it with the rules of the
shared scorer (`claimline.evaluate`), and prints one row per incident, the
micro-average over all of them and the worst incident.

Each database is first built with the rules alone (CLAIMLINE_SPEAKER_WEIGHTS=none). The
trained speaker ranker (`claimline_speakers`) is then fitted, for each row, on the *other*
incidents alone, and the held-out incident is analysed again with those weights: two
tables, rules alone and rules + ranker.

    .venv/bin/python benchmarks/bench_generalization.py                    # every incident
    .venv/bin/python benchmarks/bench_generalization.py --only rogers-outage-2022 --misses
    .venv/bin/python benchmarks/bench_generalization.py --baseline          # plain quote baseline rows too
    .venv/bin/python benchmarks/bench_generalization.py --keep /tmp/inc     # then --reuse /tmp/inc: no crawl
"""

import json
import os
import sys
import tempfile
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claimline import db as database  # noqa: E402
from claimline.analyze import analyze  # noqa: E402
from claimline.evaluate import evaluate  # noqa: E402
from claimline.nlp.pipeline import load_pipeline  # noqa: E402
from claimline.train import build_incident_db, fit, gold_of, incident_folders, speaker_examples, \
    write_weights  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def incident_name(folder):
    return "dev (April 2021)" if folder.name == "dev" else folder.name


def analyze_with(db_path, weights):
    """Analyse every document of `db_path` again, ranking speakers with `weights` (None: rules)."""
    os.environ["CLAIMLINE_SPEAKER_WEIGHTS"] = weights or "none"
    load_pipeline.cache_clear()
    db = database.open_db(db_path)
    db.execute("update documents set analyzed_hash = null")
    # as on a fresh crawl: the actors an earlier analysis created are met anew
    for table in ("claims", "statements"):
        db.execute(f"delete from {table}")
    db.execute("delete from actor_aliases where actor_id in (select id from actors where not curated)")
    db.execute("delete from actors where not curated")
    db.conn.commit()
    analyze(db)


def row_of(name, scores):
    s = scores["statements"]
    return {"incident": name, "gold": scores["gold"], "system": scores["system"],
            "precision": s["precision"], "recall": s["recall"], "f1": s["f1"],
            "speaker": scores["speaker_accuracy"], "date": scores["date_accuracy"],
            "claim": scores["claim_accuracy"],
            "blame_p": scores["claim_precision"].get("blame", {}).get("precision"),
            "denial_p": scores["claim_precision"].get("denial", {}).get("precision"),
            "_counts": scores["counts"]}


def micro_average(rows):
    """Pooled counts of every incident, scored once."""
    total = {}
    for row in rows:
        for key, value in row["_counts"].items():
            total[key] = total.get(key, 0) + value
    p = total["found"] / total["system"] if total["system"] else 0.0
    r = total["found"] / total["gold"] if total["gold"] else 0.0

    def share(a, b):
        return round(total[a] / total[b], 3) if total.get(b) else None
    return {"incident": "micro-average", "gold": total["gold"], "system": total["system"],
            "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "speaker": share("found", "matched"), "date": share("dates_right", "dates"),
            "claim": share("claims_right", "matched"),
            "blame_p": share("blame_right", "blame_typed"),
            "denial_p": share("denial_right", "denial_typed")}


COLUMNS = [("incident", 26, "{}"), ("gold", 5, "{}"), ("system", 6, "{}"), ("precision", 6, "{:.3f}"),
           ("recall", 6, "{:.3f}"), ("f1", 6, "{:.3f}"), ("speaker", 7, "{:.3f}"), ("date", 6, "{:.3f}"),
           ("claim", 6, "{:.3f}"), ("blame_p", 7, "{:.3f}"), ("denial_p", 8, "{:.3f}")]


def print_table(title, rows):
    click.echo(f"\n{title}")
    click.echo(" ".join(f"{name:>{width}}" if name != "incident" else f"{name:<{width}}"
                        for name, width, _ in COLUMNS))
    for row in rows:
        cells = []
        for name, width, form in COLUMNS:
            value = row.get(name)
            text = "-" if value is None else form.format(value)
            cells.append(f"{text:<{width}}" if name == "incident" else f"{text:>{width}}")
        click.echo(" ".join(cells))


@click.command()
@click.option("--corpus", type=click.Path(exists=True, file_okay=False), default=str(DEFAULT_CORPUS),
              show_default=True, help="Folder with train/<incident>/ and dev/.")
@click.option("--only", multiple=True, help="Score only these incident folders (repeatable).")
@click.option("--baseline", is_flag=True, help="Also score the plain spaCy quote baseline.")
@click.option("--misses", is_flag=True, help="Print every miss of each incident.")
@click.option("--keep", type=click.Path(file_okay=False), help="Keep each incident's database in this folder.")
@click.option("--reuse", type=click.Path(file_okay=False),
              help="Read the databases a --keep run left in this folder instead of crawling.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the rows as JSON.")
def main(corpus, only, baseline, misses, keep, reuse, json_path):
    """Print the leave-one-incident-out table."""
    folders = [f for f in incident_folders(corpus) if not only or f.name in only or incident_name(f) in only]
    workdir = tempfile.TemporaryDirectory()
    work = Path(workdir.name)
    os.environ["CLAIMLINE_SPEAKER_WEIGHTS"] = "none"
    databases, examples = {}, {}
    for folder in folders:
        databases[folder] = str(work / f"{folder.name}.db")
        if reuse:
            database.open_db(str(Path(reuse) / f"{folder.name}.db")).conn.execute(
                "vacuum into ?", [databases[folder]])
            analyze_with(databases[folder], None)
        else:
            (work / folder.name).mkdir()
            build_incident_db(folder, databases[folder], work / folder.name)
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            database.open_db(databases[folder]).conn.execute("vacuum into ?", [str(Path(keep) / f"{folder.name}.db")])
        examples[folder] = speaker_examples(database.open_db(databases[folder]), gold_of(folder))
    rules_rows, rows, baseline_rows = [], [], []
    for folder in folders:
        gold = gold_of(folder)
        rules_rows.append(row_of(incident_name(folder), evaluate(database.open_db(databases[folder]), gold)))
        if baseline:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from bench_quote_baseline import write_baseline
            baseline_path = str(work / f"{folder.name}-baseline.db")
            write_baseline(databases[folder], baseline_path)
            baseline_rows.append(row_of(incident_name(folder), evaluate(database.open_db(baseline_path), gold)))
        others = [e for f in folders if f != folder for e in examples[f]]
        weights_path = str(work / f"{folder.name}-weights.json")
        write_weights(weights_path, fit(others), [f.name for f in folders if f != folder], others)
        analyze_with(databases[folder], weights_path)
        scores = evaluate(database.open_db(databases[folder]), gold)
        rows.append(row_of(incident_name(folder), scores))
        click.echo(f"{incident_name(folder)}: statement F1 {rules_rows[-1]['f1']:.3f} rules, "
                   f"{scores['statements']['f1']:.3f} with the ranker "
                   f"({len(others)} training statements)", err=True)
        if misses:
            for miss in scores["misses"]:
                click.echo(f"  {miss}")
    tables = [("rules alone, each incident held out", rules_rows),
              ("rules + speaker ranker trained on the other incidents", rows)]
    if baseline_rows:
        tables.append(("plain spaCy quote baseline (benchmarks/bench_quote_baseline.py)", baseline_rows))
    for title, table in tables:
        worst = min(table, key=lambda r: r["f1"])
        print_table(title, table + [micro_average(table), {**worst, "incident": f"worst: {worst['incident']}"}])
    if json_path:
        Path(json_path).write_text(json.dumps(
            {title: [{k: v for k, v in r.items() if not k.startswith("_")} for r in table]
             for title, table in tables}, indent=1), encoding="utf-8")
    workdir.cleanup()


if __name__ == "__main__":
    main()

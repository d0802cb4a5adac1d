"""The plain spaCy quote baseline that issue 4 compares claimline against.

Copies a claimline database that already holds crawled documents and replaces the
copy's statements with what a naive extractor finds: fr_core_news_md over each
document's text, every « … », “ … ” or "…" span a direct statement, its speaker
the nearest PER or ORG entity of the same sentence (else of the previous one), its
date the document's publication date. The copy has the same tables and `timeline`
view, so `claimline eval` and the shared score.py score it like the real pipeline.

    python benchmarks/bench_quote_baseline.py /tmp/gold.db /tmp/gold-baseline.db \\
        --build-gold tests/gold --gold tests/gold/gold.jsonl
"""

import bisect
import re
import sqlite3
from pathlib import Path

import click
import spacy

from claimline import db as database
from claimline.evaluate import build_gold_db, evaluate, load_gold, summary_lines

MODEL = "fr_core_news_md"
QUOTE_RE = re.compile(r"«\s*([^»]+?)\s*»|“([^”]+)”|\"([^\"\n]+)\"")
SPEAKER_LABELS = ("PER", "ORG")


def quote_spans(text):
    """(start, end) of the words inside each pair of quotation marks."""
    for match in QUOTE_RE.finditer(text):
        group = next(g for g in range(1, 4) if match.group(g) is not None)
        yield match.start(group), match.end(group)


def nearest_speaker(sentence, start, end):
    """The PER/ORG entity of `sentence` closest to the quote, outside it; or None."""
    candidates = [e for e in sentence.ents if e.label_ in SPEAKER_LABELS
                  and (e.end_char <= start or e.start_char >= end)]
    if not candidates:
        return None
    return min(candidates, key=lambda e: start - e.end_char if e.end_char <= start
               else e.start_char - end).text


def baseline_statements(doc, published_at):
    sentences = list(doc.sents)
    starts = [s.start_char for s in sentences]
    statements = []
    for start, end in quote_spans(doc.text):
        index = max(bisect.bisect_right(starts, start) - 1, 0)
        speaker = nearest_speaker(sentences[index], start, end)
        if speaker is None and index > 0:
            speaker = nearest_speaker(sentences[index - 1], start, end)
        statements.append({
            "actor_id": None, "speaker_text": speaker, "text": doc.text[start:end],
            "kind": "direct", "said_at": published_at, "said_at_precision": "published",
            "said_at_text": None, "reporting_verb": None, "start_char": start,
            "end_char": end, "confidence": None, "lang": "fr",
        })
    return statements


def copy_database(source_path, baseline_path):
    Path(baseline_path).unlink(missing_ok=True)
    source, copy = sqlite3.connect(source_path), sqlite3.connect(baseline_path)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()


def write_baseline(source_path, baseline_path):
    """Write the baseline database; returns how many statements it holds."""
    copy_database(source_path, baseline_path)
    db = database.open_db(baseline_path)
    nlp = spacy.load(MODEL)
    documents = list(db.query("select * from documents order by id"))
    count = 0
    for document, doc in zip(documents, nlp.pipe(d["text"] or "" for d in documents)):
        statements = baseline_statements(doc, document["published_at"])
        database.replace_statements(db, document, statements)
        count += len(statements)
    return count


@click.command()
@click.argument("source_db", type=click.Path(dir_okay=False))
@click.argument("baseline_db", type=click.Path(dir_okay=False))
@click.option("--build-gold", type=click.Path(file_okay=False, exists=True),
              help="First crawl and analyse this gold folder (site/, sources.yml, actors.yml) into SOURCE_DB")
@click.option("--gold", "gold_paths", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Gold JSONL file(s): print the scores of SOURCE_DB and of the baseline")
def main(source_db, baseline_db, build_gold, gold_paths):
    """Write BASELINE_DB: SOURCE_DB's documents with baseline statements."""
    if build_gold:
        build_gold_db(build_gold, source_db)
    if not Path(source_db).exists():
        raise click.ClickException(f"{source_db}: no such database")
    count = write_baseline(source_db, baseline_db)
    click.echo(f"{baseline_db}: {count} baseline statements")
    if gold_paths:
        gold = load_gold(gold_paths)
        for label, path in (("claimline", source_db), ("baseline", baseline_db)):
            click.echo(f"\n{label} ({path})")
            click.echo("\n".join(summary_lines(evaluate(database.open_db(path), gold))))


if __name__ == "__main__":
    main()

"""Training the speaker ranker (`claimline_speakers`) on a gold corpus.

A corpus is laid out like `../shared/corpus`: incident folders (`train/*/`, `dev/`), each
with the `site/` its coverage was saved in, a `feed.xml` of its pages and a `gold.jsonl`
of who said what. Each incident's site is served on 127.0.0.1 and refreshed into its own
database, as a newsroom would crawl it, with no curated actors.

A training example is a statement the pipeline found that a gold statement matches (same
page, the scorer's word overlap): the features of its candidate speakers, and which of
them are right (a gold alias within the candidate's name, the scorer's rule). The model is
a conditional logit, P(candidate) ∝ exp(w · features), fitted by gradient descent with an
L2 penalty: each weight reads as the log-odds a feature adds.
"""

import json
import shutil
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

from claimline import ClaimlineError, db as database
from claimline.analyze import document_context, known_outlets, pipeline_lang
from claimline.evaluate import load_gold, match_page, rows_by_page, speaker_is_right
from claimline.localsite import LocalSite
from claimline.refresh import refresh

FEED_PORT_URL = "http://127.0.0.1:PORT"
L2 = 0.005
STEPS = 1000
LEARNING_RATE = 1.0


def incident_folders(corpus):
    """The incident folders of a corpus: `train/*/` then `dev/`, each with a gold.jsonl
    (a folder that has a gold.jsonl itself is one incident)."""
    corpus = Path(corpus)
    if (corpus / "gold.jsonl").exists():
        return [corpus]
    folders = sorted(p for p in (corpus / "train").glob("*") if (p / "gold.jsonl").exists())
    if (corpus / "dev" / "gold.jsonl").exists():
        folders.append(corpus / "dev")
    return folders


def train_speaker_ranker(folders, weights_path, workdir, progress=None):
    """Crawl each incident folder, fit the ranker on all their examples, write the weights.
    Returns (examples, accuracy of the rules, accuracy of the ranker) on those examples."""
    examples = []
    for folder in folders:
        work = Path(workdir) / folder.name
        work.mkdir(parents=True)
        db_path = str(work / "incident.db")
        build_incident_db(folder, db_path, work)
        found = speaker_examples(database.open_db(db_path), gold_of(folder))
        examples += found
        if progress:
            progress(folder.name, len(found))
    if not examples:
        raise ClaimlineError("no statement of the corpus matched its gold: nothing to train on")
    weights = fit(examples)
    write_weights(weights_path, weights, [f.name for f in folders], examples)
    return len(examples), accuracy(examples, {"rule": 1.0}), accuracy(examples, weights)


def build_incident_db(folder, db_path, workdir):
    """Serve the incident's site (its feed's PORT links pointed at the local server) and
    refresh it into `db_path` with an empty actors file."""
    site = Path(workdir) / "site"
    shutil.copytree(folder / "site", site)
    for feed in site.glob("*.xml"):
        feed.write_text(feed.read_text(encoding="utf-8").replace(FEED_PORT_URL, "{base_url}"),
                        encoding="utf-8")
    actors = Path(workdir) / "actors.yml"
    actors.write_text("actors: []\n", encoding="utf-8")
    with LocalSite(site) as served:
        sources = [{"id": "incident-feed", "kind": "feed", "url": f"{served.base_url}/feed.xml",
                    "document_kind": "article", "allow_private": True}]
        refresh(db_path, sources, actors_file=actors, settings_module="claimline.crawler.settings.local")


def speaker_examples(db, gold):
    """(features of each candidate, is it right) for each matched statement of `db`."""
    from claimline.nlp.pipeline import load_pipeline, statements_of

    by_lang = defaultdict(list)
    for document in db["documents"].rows_where("text is not null and kind != 'post' and gone_at is null"):
        by_lang[pipeline_lang(document)].append(document)
    outlets = known_outlets(db)
    rows = []
    for lang, documents in by_lang.items():
        items = [(d["text"], document_context(db, d, outlets)) for d in documents]
        ranker = load_pipeline(lang).get_pipe("claimline_speakers")
        ranker.record = True
        try:
            for statements, context in statements_of(lang, items):
                rows += [{"statement": s.text, "document_url": context["document"]["url"],
                          "fetched_url": context["document"]["fetched_url"], "candidates": s.candidates}
                         for s in statements]
        finally:
            ranker.record = False
    examples = []
    pages = sorted({g["page"] for g in gold})
    for page, page_rows in rows_by_page(rows, pages).items():
        page_gold = [g for g in gold if g["page"] == page]
        for i, (j, _) in match_page(page_gold, page_rows).items():
            candidates = page_rows[j]["candidates"]
            labels = [speaker_is_right(page_gold[i], c.text) for c in candidates]
            # a statement whose candidates are all right or all wrong teaches nothing
            if not page_gold[i].get("optional") and any(labels) and not all(labels):
                examples.append(([c.features for c in candidates], labels))
    return examples


def fit(examples, l2=L2, steps=STEPS, learning_rate=LEARNING_RATE):
    """The weights (feature name -> float) of a conditional logit over the candidates."""
    names = sorted({name for features, _ in examples for f in features for name in f})
    index = {name: k for k, name in enumerate(names)}
    groups = []
    for features, labels in examples:
        x = np.zeros((len(features), len(names)))
        for row, f in enumerate(features):
            for name, value in f.items():
                x[row, index[name]] = value
        groups.append((x, np.array(labels, dtype=float)))
    w = np.zeros(len(names))
    for _ in range(steps):
        gradient = l2 * w
        for x, right in groups:
            z = x @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            # the probability of the right candidates, spread as the model already does
            q = p * right
            gradient += x.T @ (p - q / q.sum()) / len(groups)
        w -= learning_rate * gradient
    return {name: round(float(w[k]), 4) for k, name in enumerate(names)}


def accuracy(examples, weights):
    """Share of examples whose best-scored candidate is a right one."""
    from claimline.nlp.speakers import score
    right = sum(labels[max(range(len(features)), key=lambda k: score(features[k], weights))]
                for features, labels in examples)
    return right / len(examples) if examples else 0.0


def write_weights(path, weights, trained_on, examples):
    Path(path).write_text(json.dumps({
        "model": "conditional logit over the candidate speakers of a statement (claimline_speakers)",
        "trained_on": trained_on, "examples": len(examples), "trained": date.today().isoformat(),
        "l2": L2, "steps": STEPS, "weights": weights,
    }, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def gold_of(folder):
    return load_gold([Path(folder) / "gold.jsonl"])

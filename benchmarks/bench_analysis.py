"""Analysis speed: `claimline analyze` against bare fr_core_news_md over the same texts.

    python benchmarks/bench_analysis.py                 # 2,000 articles of about 600 words, 3 rounds
    python benchmarks/bench_analysis.py --documents 200 --rounds 1   # a quicker look
    python benchmarks/bench_analysis.py --scaling       # claimline at 250, 500, 1,000, 2,000

The articles are assembled from the paragraphs of the demo's French pages (reporting
verbs, quotes, incises, dates: the text claimline is made for), shuffled with a fixed
seed. Each side runs in its own process, so each peak memory is its own, and is timed
the same way, end to end: from before spaCy is imported to the last text analysed.
- bare: `spacy.load("fr_core_news_md")` and `nlp.pipe` over the texts, nothing else;
- claimline: `analyze()` over a database holding the same texts as documents (written
  before the clock starts), which loads the model, parses, finds statements, speakers,
  dates and claims, and writes them.
Each is measured in one process and with WORKERS processes (`nlp.pipe(n_process=)`
against `analyze(workers=)`); one process is compared with one, WORKERS with WORKERS.
The sides alternate for a few rounds and the medians are compared. Prints words per
second of each, the ratios, and the peak resident memory of each.
"""

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEMO_PAGES = ROOT / "claimline" / "demo" / "site"


def demo_paragraphs():
    from claimline.crawler.extract import extract_page

    paragraphs = []
    for page in sorted(DEMO_PAGES.rglob("*.html")):
        found = extract_page(page.read_text(encoding="utf-8"), f"http://127.0.0.1/{page.name}")
        if found and found.get("lang") == "fr" and found.get("text"):
            paragraphs += [p for p in found["text"].split("\n") if len(p.split()) >= 12]
    return paragraphs


def make_corpus(documents, words, seed=2021):
    paragraphs = demo_paragraphs()
    rng = random.Random(seed)
    texts = []
    for _ in range(documents):
        chosen, count = [], 0
        while count < words:
            paragraph = rng.choice(paragraphs)
            chosen.append(paragraph)
            count += len(paragraph.split())
        texts.append("\n".join(chosen))
    return texts


def peak_rss_mb(who=resource.RUSAGE_SELF):
    return resource.getrusage(who).ru_maxrss / 1024


def run_bare(texts, workers=1):
    start = time.perf_counter()
    import spacy

    nlp = spacy.load("fr_core_news_md")
    for _ in nlp.pipe(texts, batch_size=16, n_process=workers):
        pass
    return time.perf_counter() - start


def run_claimline(texts, workers=1):
    from claimline import db as database

    with tempfile.TemporaryDirectory() as folder:
        db = database.open_db(str(Path(folder) / "bench.db"))
        for i, text in enumerate(texts):
            database.save_document(db, {
                "url": f"https://bench.example/{i}", "kind": "article", "lang": "fr",
                "outlet": "Bench", "published_at": "2021-04-07T10:00:00+02:00", "text": text})
        start = time.perf_counter()
        from claimline.analyze import analyze  # its imports and the model's loading are timed

        counts = analyze(db, actors_file=str(ROOT / "claimline" / "starter" / "actors.yml"), workers=workers)
        seconds = time.perf_counter() - start
    print(json.dumps({"statements": counts["statements_new"]}), file=sys.stderr)
    return seconds


def median_round(results):
    return sorted(results, key=lambda r: r["words_per_second"])[len(results) // 2]


def measure(side, corpus_file, documents, workers=1):
    """Run one side in a fresh process; returns its figures."""
    out = subprocess.run([sys.executable, __file__, "--side", side, "--corpus", corpus_file,
                          "--documents", str(documents), "--workers", str(workers)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--scaling", action="store_true", help="claimline at 250…2,000 documents")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of the two sides")
    parser.add_argument("--workers", type=int, default=2,
                        help="also measure both sides with this many processes")
    parser.add_argument("--side", choices=["bare", "claimline"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.side:
        texts = json.loads(Path(args.corpus).read_text(encoding="utf-8"))[:args.documents]
        seconds = (run_bare if args.side == "bare" else run_claimline)(texts, args.workers)
        words = sum(len(t.split()) for t in texts)
        print(json.dumps({"seconds": round(seconds, 2), "words": words,
                          "words_per_second": round(words / seconds), "peak_rss_mb": round(peak_rss_mb()),
                          "worker_peak_rss_mb": round(peak_rss_mb(resource.RUSAGE_CHILDREN))}))
        return

    sizes = [250, 500, 1000, 2000] if args.scaling else [args.documents]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(make_corpus(max(sizes), args.words), f)
    if args.scaling:
        print("documents  seconds  words/s")
        for size in sizes:
            result = measure("claimline", f.name, size)
            print(f"{size:9}  {result['seconds']:7}  {result['words_per_second']:7}")
        return
    # alternate the sides: the load of a shared machine changes during a run
    sides = [("bare", 1), ("claimline", 1), ("bare", args.workers), ("claimline", args.workers)]
    rounds = [[measure(side, f.name, args.documents, workers) for side, workers in sides]
              for _ in range(args.rounds)]
    bare, ours, bare_parallel, parallel = (median_round([r[i] for r in rounds]) for i in range(4))
    print(f"{args.documents} documents, {bare['words']} words, median of {args.rounds} round(s), "
          f"each timed end to end (imports and model loading included)")
    for name, result in (("bare fr_core_news_md nlp.pipe", bare),
                         ("claimline analyze", ours),
                         (f"bare nlp.pipe(n_process={args.workers})", bare_parallel),
                         (f"claimline analyze --workers {args.workers}", parallel)):
        print(f"{name:36} {result['words_per_second']:7} words/s  {result['seconds']:7} s  "
              f"peak {result['peak_rss_mb']} MB, children {result['worker_peak_rss_mb']} MB")
    print(f"ratio claimline / bare, one process: "
          f"{ours['words_per_second'] / bare['words_per_second']:.2f}; {args.workers} processes each: "
          f"{parallel['words_per_second'] / bare_parallel['words_per_second']:.2f}")

if __name__ == "__main__":
    main()

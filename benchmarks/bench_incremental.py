"""Incremental refresh: a second `claimline refresh` of an unchanged site against the first.

    python benchmarks/bench_incremental.py [--pages 200] [--feeds 10]

Generates the article site of benchmarks/bench_crawl.py (PAGES pages of French reported
speech listed by FEEDS RSS feeds), serves it on 127.0.0.1 and runs `claimline refresh`
twice on one new database, each in its own process as cron would (Python, Scrapy and,
when there is text to analyse, spaCy start-up included), with the settings for a site
on this machine (`SCRAPY_SETTINGS_MODULE=crawler.settings.local`: no politeness delay,
which on the real web would dominate both runs). Prints each run's time, the ratio, and
the rows each table gained in the second run (there should be none but the run's own).
"""

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from claimline.db import TABLES  # noqa: E402
from claimline.localsite import LocalSite  # noqa: E402
from bench_crawl import generate_site  # noqa: E402


def row_counts(db_path):
    with sqlite3.connect(db_path) as con:
        return {table: con.execute(f"select count(*) from [{table}]").fetchone()[0] for table in TABLES}


def timed_refresh(sources, db_path):
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "claimline.crawler.settings.local"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "claimline", "refresh", "--quiet", "--sources", str(sources),
                    "--db", str(db_path), "--incidents", str(ROOT / "claimline" / "demo" / "incidents.yml")],
                   check=True, env=env, cwd=ROOT)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--feeds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        generate_site(folder / "site", args.pages, args.feeds)
        with LocalSite(folder / "site") as site:
            sources = folder / "sources.yml"
            sources.write_text("sources:\n" + "".join(
                f"  - id: feed-{f}\n    kind: feed\n    url: {site.base_url}/feed-{f}.xml\n"
                f"    lang: fr\n    allow_private: true\n" for f in range(args.feeds)), encoding="utf-8")
            db_path = folder / "bench.db"
            first = timed_refresh(sources, db_path)
            before = row_counts(db_path)
            second = timed_refresh(sources, db_path)
            after = row_counts(db_path)
    print(f"site: {args.pages} pages, {args.feeds} feeds; database after the first refresh: "
          f"{before['documents']} documents, {before['statements']} statements")
    print(f"first refresh:  {first:.1f} s")
    print(f"second refresh: {second:.1f} s")
    print(f"ratio: {second / first:.2f}")
    added = {table: after[table] - before[table] for table in TABLES if after[table] != before[table]}
    print("rows added by the second refresh: " + (", ".join(f"{t} {n}" for t, n in added.items()) or "none"))


if __name__ == "__main__":
    main()

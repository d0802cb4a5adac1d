"""Dead sources: what a refresh costs when its feeds do not answer, with the production settings.

    python benchmarks/bench_dead_sources.py [--unbounded]

Two feed sources: one on a site of 127.0.0.1 answering HTTP 500 to everything (its
robots.txt too), one on a port of localhost nothing listens on. The refresh uses the polite settings of
`claimline.crawler.settings.base` (download delay, AutoThrottle, backoff, retries and
their budgets), not `settings.local`. Prints the time the refresh took, the requests the
site received, the run's status and what the summary says of each source.
`--unbounded` measures the retries as they were before their budgets (RETRY_TIMES 3, no
URL or source budget, no skipping).
"""

import argparse
import math
import socket
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimline import db as database  # noqa: E402
from claimline.localsite import Answer, LocalSite  # noqa: E402
from claimline.refresh import FAILED_SOURCES, refresh  # noqa: E402

PRODUCTION_SETTINGS = "claimline.crawler.settings.base"
UNBOUNDED = {"RETRY_TIMES": 3, "CLAIMLINE_URL_BUDGET": math.inf, "CLAIMLINE_SOURCE_BUDGET": math.inf,
             "CLAIMLINE_SOURCE_MAX_FAILURES": sys.maxsize}


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unbounded", action="store_true",
                        help="retries without budgets, as before they had them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "site").mkdir()
        with LocalSite(folder / "site") as site:
            for path in ("/robots.txt", "/feed.xml"):
                site.answers[path] = [Answer(500)]
            sources = [
                {"id": "answers-500", "kind": "feed", "url": f"{site.base_url}/feed.xml",
                 "allow_private": ["127.0.0.1"]},
                # another host name: Scrapy spaces the requests of one host (its download slot)
                {"id": "closed-port", "kind": "feed", "url": f"http://localhost:{closed_port()}/feed.xml",
                 "allow_private": ["localhost"]},
            ]
            start = time.perf_counter()
            counts = refresh(folder / "bench.db", sources, settings_module=PRODUCTION_SETTINGS,
                             settings=UNBOUNDED if args.unbounded else None)
            elapsed = time.perf_counter() - start
            served = Counter(s.path for s in site.served)
        [run] = database.open_db(folder / "bench.db")["runs"].rows
    print(f"retries: {'unbounded (RETRY_TIMES 3, no budgets)' if args.unbounded else 'production settings'}")
    print(f"refresh: {elapsed:.1f} s, run {run['status']}, pages fetched {counts['pages_fetched']}")
    print("requests the site received: " + ", ".join(f"{path} {n}" for path, n in served.items()))
    for source_id, reason in counts[FAILED_SOURCES].items():
        print(f"  {source_id}: {reason}")


if __name__ == "__main__":
    main()

"""p50/p95 latency of the site's heaviest pages, through Datasette's in-process client
(no network: what the plugins and SQLite cost).

    .venv/bin/claimline demo --no-serve --db /tmp/demo.db
    .venv/bin/python benchmarks/bench_site_latency.py --db /tmp/demo.db
"""

import argparse
import asyncio
import statistics
import time

from claimline.site import build_datasette

PAGES = {
    "/timeline": "/timeline",
    "/timeline (incident + speaker)": "/timeline?incident=cned-avril-2021&speaker=Michel+Paulin",
    "/timeline.atom": "/timeline.atom",
    "/search": "/search?q=cyberattaque",
    "table search": "/claimline/statements?_search=defaillance",
}
WARMUP = 5


async def measure(datasette, path, requests):
    timings = []
    for i in range(WARMUP + requests):
        started = time.perf_counter()
        response = await datasette.client.get(path)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (path, response.status_code)
        if i >= WARMUP:
            timings.append(elapsed * 1000)
    return timings


async def main(db_path, requests):
    datasette = build_datasette(db_path)
    await datasette.invoke_startup()
    print(f"{'page':34} {'p50 ms':>8} {'p95 ms':>8}   ({requests} requests each)")
    for name, path in PAGES.items():
        timings = await measure(datasette, path, requests)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"{name:34} {statistics.median(timings):8.1f} {p95:8.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a database built by claimline demo or refresh")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    args = parser.parse_args()
    asyncio.run(main(args.db, args.requests))

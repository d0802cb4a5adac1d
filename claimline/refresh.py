"""The jobs behind the CLI: crawl, analyze, and refresh (both, recorded in `runs`)."""

import json
import os
import subprocess
import sys
import tempfile

from claimline import ClaimlineError, db as database
from claimline.analyze import analyze

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The counts a run keeps in the runs table.
RUN_COUNTS = ("pages_fetched", "documents_new", "documents_changed", "documents_gone",
              "statements_new", "errors")


def crawl(db, db_path, sources, run_id, settings_module="crawler.settings.base", settings=None):
    """Fetch `sources` into `documents` with Scrapy, in a subprocess; returns its counts.

    `settings` overrides Scrapy settings for this run (e.g. CLAIMLINE_ARCHIVE_DIR,
    DOWNLOAD_MAXSIZE).
    """
    database.save_sources(db, sources)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(sources, f)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [PROJECT_ROOT] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "crawler.run", f.name, str(db_path), str(run_id), settings_module,
             json.dumps(settings or {})],
            capture_output=True, text=True, env=env)
    finally:
        os.unlink(f.name)
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise ClaimlineError(f"the crawl failed: {last}")
    return json.loads(lines[-1])


def refresh(db_path, sources, *, actors_file=None, incidents_file=None,
            settings_module="crawler.settings.base", command="refresh", settings=None):
    """Crawl then analyze, as one run recorded in `runs`; returns the run's counts."""
    db = database.open_db(db_path)
    run_id = database.start_run(db, command)
    try:
        counts = crawl(db, db_path, sources, run_id, settings_module, settings)
        counts.update(analyze(db, actors_file, incidents_file))
    except BaseException:
        database.finish_run(db, run_id, "failed")
        raise
    database.finish_run(db, run_id, "ok", **{k: counts.get(k, 0) for k in RUN_COUNTS})
    return counts

"""The jobs behind the CLI: crawl, analyze, and refresh (both, recorded in `runs`).

A refresh can be killed at any moment and started again: every write is one
transaction (a document with its versions and embedded posts; a document's
statements with their claims), documents remember which text they were analysed
at, and ids derive from content, so the next run does exactly the work that was
left.
"""

import json
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager

from claimline import ClaimlineError, db as database
from claimline.analyze import analyze
from claimline.processes import die_with_parent

# The counts a run keeps in the runs table.
RUN_COUNTS = ("pages_fetched", "pages_not_due", "documents_new", "documents_changed",
              "documents_gone", "statements_new", "errors")
# In a crawl's counts: {source id: why it failed} of the sources that failed the run.
FAILED_SOURCES = "failed_sources"
# Exit codes of a crawl or refresh whose sources did not all answer (docs/operations.md).
EXIT_PARTIAL = 3   # some sources failed: the run is `partial`
EXIT_FAILED = 4    # every source failed: the run is `failed`
EXIT_CODES = {"partial": EXIT_PARTIAL, "failed": EXIT_FAILED}


def default_settings_module():
    """Scrapy's own variable picks the settings (`crawler.settings.local` for a site on
    this machine); polite `crawler.settings.base` otherwise."""
    return os.environ.get("SCRAPY_SETTINGS_MODULE", "claimline.crawler.settings.base")


def crawl(db, db_path, sources, run_id, settings_module=None, settings=None, progress=None):
    """Fetch `sources` into `documents` with Scrapy, in a subprocess; returns its counts.

    `settings` overrides Scrapy settings for this run (e.g. CLAIMLINE_ARCHIVE_DIR,
    DOWNLOAD_MAXSIZE). `progress(stage, done, total)` hears of pages as they come.
    """
    database.save_sources(db, sources)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(sources, f)
    command = [sys.executable, "-m", "claimline.crawler.run", f.name, str(db_path), str(run_id),
               settings_module or default_settings_module(), json.dumps(settings or {})]
    lines = []
    try:
        with tempfile.TemporaryFile("w+", encoding="utf-8") as stderr:
            # a refresh killed with -9 takes its crawl along
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True,
                                       preexec_fn=die_with_parent)
            try:
                for line in process.stdout:
                    message = json.loads(line) if line.startswith('{"progress"') else None
                    if message and progress:
                        progress("crawl", *message["progress"])
                    elif not message and line.strip():
                        lines.append(line)
                process.wait()
            except BaseException:
                process.kill()
                process.wait()
                raise
            stderr.seek(0)
            error_lines = stderr.read().strip().splitlines()
    finally:
        os.unlink(f.name)
    if process.returncode != 0 or not lines:
        raise ClaimlineError(f"the crawl failed: {(error_lines or ['no output'])[-1]}")
    counts = json.loads(lines[-1])
    not_due = counts.pop("sources_not_due")  # their pages were listed: the source answered
    failed = database.record_source_health(db, run_id, [source["id"] for source in sources], not_due)
    return {"sources": len(sources), **counts, FAILED_SOURCES: failed}


def run_status(counts):
    """`ok` when every source answered, `partial` when some failed, `failed` when all did."""
    failed = counts.get(FAILED_SOURCES)
    if not failed:
        return "ok"
    return "failed" if len(failed) == counts["sources"] else "partial"


@contextmanager
def recorded_run(db, command):
    """A run in `runs`, given its id, with the counts of the dict it fills: `ok`, `partial`
    or `failed` as its sources answered (`run_status`), unless interrupted (Ctrl-C,
    SIGTERM: `interrupted`) or failed. A run killed outright stays `running` until the
    next one marks it `interrupted`."""
    run_id = database.start_run(db, command)
    counts = {}
    try:
        yield run_id, counts
    except KeyboardInterrupt:
        database.finish_run(db, run_id, "interrupted")
        raise
    except BaseException:
        database.finish_run(db, run_id, "failed")
        raise
    database.finish_run(db, run_id, run_status(counts), **{k: counts.get(k, 0) for k in RUN_COUNTS})


def refresh(db_path, sources, *, actors_file=None, incidents_file=None,
            settings_module=None, command="refresh", settings=None, progress=None, workers=1):
    """Crawl then analyze, as one run recorded in `runs`; returns the run's counts."""
    db = database.open_db(db_path)
    with recorded_run(db, command) as (run_id, counts):
        counts.update(crawl(db, db_path, sources, run_id, settings_module, settings, progress))
        counts.update(analyze(db, actors_file, incidents_file, progress, workers))
    return counts

"""The `claimline` command line: thin wrappers over the crawl, analysis and site modules."""

import functools
import re
import signal
import sys
import time
from importlib import resources
from pathlib import Path

import click

from claimline import ClaimlineError
from claimline import db as database
from claimline.lock import writer_lock
from claimline.progress import Progress
from claimline.refresh import EXIT_CODES, FAILED_SOURCES, RUN_COUNTS, run_status

# The user's files are looked for in the working directory; `claimline init` writes them.
DEFAULT_DB = "data/claimline.db"
DEFAULT_SOURCES = "sources.yml"
DEFAULT_ACTORS = "actors.yml"
DEFAULT_INCIDENTS = "incidents.yml"
STARTER = resources.files("claimline") / "starter"
STARTER_FILES = (DEFAULT_SOURCES, DEFAULT_ACTORS, DEFAULT_INCIDENTS)
DEMO = resources.files("claimline") / "demo"
DEFAULT_DEMO_DB = "demo.db"
DEFAULT_TIME = "03:15"
FAILURES_LISTED = 5  # a summary names the first five failed sources, then counts the others


def db_option(fn):
    return click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                        type=click.Path(dir_okay=False), help="SQLite database file")(fn)


def sources_option(fn):
    return click.option("--sources", "sources_path", default=DEFAULT_SOURCES, show_default=True,
                        type=click.Path(dir_okay=False), help="sources.yml to crawl")(fn)


def archive_option(fn):
    return click.option("--archive", "archive_dir", type=click.Path(file_okay=False),
                        help="Folder of the WARC archive [default: archive/ beside the database]")(fn)


def recheck_option(fn):
    return click.option("--recheck", is_flag=True,
                        help="Fetch every stored page again, not only those due for a visit "
                             "or changed in their feed")(fn)


def crawl_settings(archive_dir, recheck):
    """Scrapy settings a command line sets for one run."""
    settings = {"CLAIMLINE_ARCHIVE_DIR": str(Path(archive_dir).resolve())} if archive_dir else {}
    if recheck:
        settings["CLAIMLINE_REVISIT_RECHECK"] = True
    return settings


def data_options(fn):
    fn = click.option("--actors", "actors_path", default=DEFAULT_ACTORS, show_default=True,
                      type=click.Path(dir_okay=False), help="Curated actors, if the file is there")(fn)
    return click.option("--incidents", "incidents_path", default=DEFAULT_INCIDENTS, show_default=True,
                        type=click.Path(dir_okay=False), help="Incidents tracked, if the file is there")(fn)


def read_sources(path):
    """The user's sources, with a hint for the first run in a new folder."""
    from claimline.config import load_sources
    if not Path(path).exists():
        raise ClaimlineError(f"{path}: no such file (give --sources FILE, or write starter files "
                             f"with 'claimline init DIR')")
    return load_sources(path)


def workers_option(fn):
    return click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
                        help="Processes that parse, one per core at most "
                             "(each adds about 400 MB)")(fn)


def quiet_option(fn):
    return click.option("--quiet", "-q", is_flag=True,
                        help="No progress and no summary: only errors (for cron)")(fn)


def human_errors(fn):
    """Bad input ends in one line on stderr and a non-zero exit, never a traceback."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ClaimlineError as e:
            error = click.ClickException(str(e))
            error.exit_code = getattr(e, "exit_code", 1)
            raise error from None
        except KeyboardInterrupt:
            sys.exit(130)
    return wrapper


def one_writer(fn):
    """One process writes to a database at a time (`claimline.lock`): a second one exits
    at once with code 75. SIGTERM interrupts like Ctrl-C, so the run is marked as such."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            with writer_lock(kwargs["db_path"]):
                return fn(*args, **kwargs)
        finally:
            signal.signal(signal.SIGTERM, previous)
    return wrapper


def echo_counts(label, counts, quiet=False):
    if not quiet:
        click.echo(f"{label}: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items()
                                            if k != FAILED_SOURCES))


def check_sources(counts, db_path):
    """A crawl whose sources did not all answer ends in an error naming them with their
    reasons, and exit code 3 (some failed) or 4 (all failed)."""
    failed = counts.get(FAILED_SOURCES)
    if not failed:
        return
    lines = [f"  {source_id}: {reason}" for source_id, reason in list(failed.items())[:FAILURES_LISTED]]
    if len(failed) > FAILURES_LISTED:
        lines.append(f"  and {len(failed) - FAILURES_LISTED} more")
    error = ClaimlineError(f"{len(failed)} of {counts['sources']} source(s) failed "
                           f"(details: claimline status --db {db_path}):\n" + "\n".join(lines))
    error.exit_code = EXIT_CODES[run_status(counts)]
    raise error


@click.group()
@click.version_option(package_name="claimline")
def cli():
    """Who said what, when, and about whom: statements of public-service incidents."""


@cli.command()
@sources_option
@db_option
@archive_option
@recheck_option
@quiet_option
@human_errors
@one_writer
def crawl(sources_path, db_path, archive_dir, recheck, quiet):
    """Fetch the sources into the documents table.

    Pages stored before are fetched again only when due (see `claimline refresh`).
    Exits like `claimline refresh`: 3 when some sources failed, 4 when all did.

        claimline crawl --sources sources.yml --db data/claimline.db
    """
    from claimline.refresh import crawl as run_crawl, recorded_run
    sources = read_sources(sources_path)
    db = database.open_db(db_path)
    with recorded_run(db, "crawl") as (run_id, counts), Progress(quiet) as progress:
        counts.update(run_crawl(db, db_path, sources, run_id, settings=crawl_settings(archive_dir, recheck),
                                progress=progress))
    echo_counts("crawled", counts, quiet)
    check_sources(counts, db_path)


@cli.command()
@db_option
@data_options
@workers_option
@quiet_option
@human_errors
@one_writer
def analyze(db_path, actors_path, incidents_path, workers, quiet):
    """Find statements in new and changed documents.

        claimline analyze --db data/claimline.db
    """
    from claimline.analyze import analyze as run_analyze
    if not Path(db_path).exists():
        raise ClaimlineError(f"{db_path}: no such database (run 'claimline crawl' first)")
    with Progress(quiet) as progress:
        counts = run_analyze(database.open_db(db_path), actors_path, incidents_path, progress, workers)
    echo_counts("analyzed", counts, quiet)


@cli.command()
@sources_option
@db_option
@archive_option
@data_options
@workers_option
@recheck_option
@quiet_option
@human_errors
@one_writer
def refresh(sources_path, db_path, archive_dir, actors_path, incidents_path, workers, recheck, quiet):
    """Crawl, then analyze: one run, recorded in the runs table.

    Feeds, listings, sitemaps and accounts are read every run; a page stored
    before is fetched again only when its feed entry changed or its revisit is
    due (hourly in its first hours, daily in its first week, weekly up to 30
    days, then never); --recheck fetches them all. Only new and changed
    documents are analysed. A refresh killed half-way is
    marked `interrupted` by the next one, which finishes its work. A source fails
    when it had fetch errors and none of its pages came in; the failed ones are
    named with their reason on stderr (even with --quiet).

    \b
    Exit codes:
      0   every source answered (run `ok`)
      3   some sources failed (run `partial`); the others were refreshed
      4   every source failed (run `failed`)
      75  another claimline process writes to the database: nothing done
      1   any other error (bad input, the crawl itself failed)

        claimline refresh --sources sources.yml --db data/claimline.db
    """
    from claimline.refresh import refresh as run_refresh
    sources = read_sources(sources_path)
    with Progress(quiet) as progress:
        counts = run_refresh(db_path, sources, actors_file=actors_path, incidents_file=incidents_path,
                             settings=crawl_settings(archive_dir, recheck), progress=progress,
                             workers=workers)
    echo_counts("refreshed", counts, quiet)
    check_sources(counts, db_path)


@cli.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--account", help="Whose tweets an X archive (tweets.js) holds: its @handle")
@db_option
@human_errors
@one_writer
def import_archive(file, account, db_path):
    """Import an archive of posts or archived pages into the documents table.

    twarc2 JSONL, an X account archive's tweets.js, Mastodon or Bluesky post JSON,
    WARC or WACZ files (archived pages keep their capture date as fetch date).
    The file is read whole first: bad input changes nothing.

        claimline import tweets.jsonl --db data/claimline.db
    """
    from claimline.crawler.imports import read_archive, save_documents
    documents = read_archive(file, account)
    db = database.open_db(db_path)
    run_id = database.start_run(db, "import")
    counts = save_documents(db, documents)
    database.finish_run(db, run_id, "ok", **{k: counts.get(k, 0) for k in RUN_COUNTS})
    echo_counts("imported", counts)


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@human_errors
def serve(db_path, host, port):
    """Serve the database with Datasette (always under the name `claimline`).

        claimline serve --db data/claimline.db --port 8001
    """
    from claimline.site import serve as run_serve
    run_serve(db_path, host, port, on_ready=lambda url: click.echo(f"timeline: {url}/timeline"))


def describe_run(run):
    took = f" in {run['duration_s']:.0f} s" if run["duration_s"] is not None else ""
    return (f"run {run['id']} {run['command']} {run['started_at']} {run['status']}{took}: "
            f"{run['pages_fetched'] or 0} pages ({run['pages_not_due'] or 0} not due), "
            f"{run['documents_new'] or 0} new, "
            f"{run['documents_changed'] or 0} changed, {run['statements_new'] or 0} statements, "
            f"{run['errors'] or 0} errors")


def describe_source(source):
    failures = source["consecutive_failures"]
    health = f"failed {failures} run(s) in a row" if failures else "ok"
    line = f"source {source['id']}: {health}, last success {source['last_success_at'] or 'never'}"
    if source["last_error"]:
        line += f", last error {source['last_error_at']}: {source['last_error']}"
    return line


@cli.command()
@db_option
@click.option("--limit", default=10, show_default=True, help="How many runs to show")
@click.option("--max-failures", type=click.IntRange(min=1), metavar="N",
              help="Exit with 1 when a source has failed N runs in a row (for cron mail)")
@human_errors
def status(db_path, limit, max_failures):
    """The last runs and each source's health: last success, failures in a row, last error.

    A source fails a run when it had fetch errors and no page of it was fetched.

        claimline status --db data/claimline.db --max-failures 3
    """
    if not Path(db_path).exists():
        raise ClaimlineError(f"{db_path}: no such database")
    db = database.open_db(db_path)
    for run in database.last_runs(db, limit):
        click.echo(describe_run(run))
    sources = database.source_health(db)
    for source in sources:
        click.echo(describe_source(source))
    failing = [s["id"] for s in sources if max_failures and s["consecutive_failures"] >= max_failures]
    if failing:
        raise ClaimlineError(f"{len(failing)} source(s) failed {max_failures} runs in a row or more: "
                             f"{', '.join(failing)}")


@cli.command()
@db_option
@human_errors
@one_writer
def vacuum(db_path):
    """Compact the database: fold the WAL into it and rebuild it without free pages.

    Waits for no one: exits with 75 while another claimline process writes to it.

        claimline vacuum --db data/claimline.db
    """
    if not Path(db_path).exists():
        raise ClaimlineError(f"{db_path}: no such database")
    before, after = database.compact(db_path)
    click.echo(f"{db_path}: {before / 1e6:.1f} MB before, {after / 1e6:.1f} MB after")


@cli.command()
@sources_option
@db_option
@archive_option
@data_options
@click.option("--at", "at", metavar="HH:MM",
              help="Refresh every day at this local time [default: 03:15]")
@click.option("--every", "every_minutes", type=click.IntRange(min=1), metavar="MINUTES",
              help="Refresh every MINUTES minutes instead")
@click.option("--log", "log_path", type=click.Path(dir_okay=False),
              help="Log file, appended to [default: refresh.log beside the database]")
@human_errors
def schedule(sources_path, db_path, archive_dir, actors_path, incidents_path, at, every_minutes,
             log_path):
    """Run `claimline refresh` every night until stopped (SIGTERM or Ctrl-C).

    Each refresh runs in its own process; its output and the scheduler's own lines go
    to the log file. A refresh still running when the next one is due, or a cron job
    refreshing the same database, is never doubled (see `claimline refresh`).

        claimline schedule --at 03:15 --db data/claimline.db --log data/refresh.log
    """
    from claimline.scheduler import Scheduler
    if at and every_minutes:
        raise ClaimlineError("give --at or --every, not both")
    if at and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", at):
        raise ClaimlineError(f"--at {at!r} is not a time of day HH:MM (24 h)")
    args = ["--sources", sources_path, "--db", db_path, "--actors", actors_path,
            "--incidents", incidents_path] + (["--archive", archive_dir] if archive_dir else [])
    log_path = log_path or str(Path(db_path).parent / "refresh.log")
    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    click.echo(f"refreshing {db_path} " + (f"every {every_minutes} min" if every_minutes
               else f"every day at {at or DEFAULT_TIME}") + f"; log: {log_path}")
    Scheduler(args, log_path).run(at=at or DEFAULT_TIME, every_minutes=every_minutes)


@cli.command()
@click.argument("corpus_dirs", metavar="CORPUS_DIR...", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=False))
@click.option("--out", "weights_path", type=click.Path(dir_okay=False), default="speakers.json",
              show_default=True, help="Where to write the trained weights")
@human_errors
def train(corpus_dirs, weights_path):
    """Train the speaker ranker on gold corpora; write its weights.

    Each CORPUS_DIR is an incident folder (`site/` with a `feed.xml` whose links start
    with http://127.0.0.1:PORT, and a `gold.jsonl`), or a corpus of them (`train/*/`,
    `dev/`). Each site is served on 127.0.0.1 and crawled into a temporary database with
    no curated actors, and the ranker is fitted on the statements the gold matches.
    Analyse with the result by setting CLAIMLINE_SPEAKER_WEIGHTS to its path.

        claimline train ../shared/corpus --out speakers.json
    """
    import tempfile
    from claimline.train import incident_folders, train_speaker_ranker
    folders = [f for d in corpus_dirs for f in incident_folders(d)]
    if not folders:
        raise ClaimlineError(f"{', '.join(corpus_dirs)}: no incident folder with a gold.jsonl")
    with tempfile.TemporaryDirectory() as workdir:
        count, rules, ranker = train_speaker_ranker(
            folders, weights_path, workdir,
            progress=lambda name, n: click.echo(f"{name}: {n} statements to learn from", err=True))
    click.echo(f"{weights_path}: trained on {count} statements of {len(folders)} incidents; "
               f"right speaker first: rules {rules:.3f}, ranker {ranker:.3f}")


@cli.command(name="eval")
@click.argument("gold_paths", metavar="GOLD...", nargs=-1, required=True,
                type=click.Path(dir_okay=False))
@db_option
@click.option("--misses", is_flag=True, help="Also list every missed or wrong statement")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON")
@human_errors
def eval_command(gold_paths, db_path, misses, as_json):
    """Score the database's statements against gold JSONL files.

    Same matching rules as the shared scorer: quote precision, recall and F1 at
    30 % and 80 % word overlap, statements (right words and speaker), speaker,
    date and claim-type accuracy.

        claimline eval tests/gold/gold.jsonl --db /tmp/gold.db --misses
    """
    import json
    from claimline.evaluate import evaluate, load_gold, summary_lines
    gold = load_gold(gold_paths)
    if not Path(db_path).exists():
        raise ClaimlineError(f"{db_path}: no such database")
    scores = evaluate(database.open_db(db_path), gold)
    if not misses:
        scores.pop("misses")
    if as_json:
        click.echo(json.dumps(scores, ensure_ascii=False, indent=2))
        return
    for line in scores.get("misses", []):
        click.echo(line)
    click.echo("\n".join(summary_lines(scores)))


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@human_errors
def init(directory):
    """Write commented starter files into DIRECTORY: sources.yml, actors.yml, incidents.yml.

    They follow the April 2021 French school-outage case; edit them for yours. A file
    already there is kept. Every command looks for these files in the working directory.

        claimline init mytracker && cd mytracker && claimline refresh
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    for name in STARTER_FILES:
        target = folder / name
        if target.exists():
            click.echo(f"kept {target}: already there")
        else:
            target.write_text((STARTER / name).read_text(encoding="utf-8"), encoding="utf-8")
            click.echo(f"wrote {target}")


def start_demo_db(db_path, source_ids, keep):
    """The demo writes only into a database of its own: refuse a file holding anything but
    the demo's documents, and start from an empty one unless `keep`."""
    if not Path(db_path).exists():
        return
    others = database.documents_not_from(db_path, source_ids)
    if others is None:
        raise ClaimlineError(f"{db_path}: not a claimline database; the demo writes only "
                             f"into its own (give another --db)")
    if others:
        raise ClaimlineError(f"{db_path} holds {others} document(s) that are not the demo's; "
                             f"the demo writes only into its own database (give another --db)")
    if not keep:
        for path in (Path(db_path), Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
            path.unlink(missing_ok=True)


@cli.command()
@click.option("--db", "db_path", default=DEFAULT_DEMO_DB, show_default=True,
              type=click.Path(dir_okay=False),
              help="The demo's own database, built from empty (never a real one: refused)")
@click.option("--keep", is_flag=True, help="Refresh an earlier demo's database instead of "
                                           "starting from empty")
@click.option("--serve/--no-serve", default=True, help="Start Datasette once the database is built")
@click.option("--port", default=8001, show_default=True, type=int, help="Datasette port")
@human_errors
def demo(db_path, keep, serve, port):
    """Offline demo: crawl the bundled April 2021 site from 127.0.0.1, analyse, serve.

    The demo site is crawled twice, as two nights would see it: first with the
    earlier version of an edited article, then with the site as it is now. The
    demo has its own database (demo.db in the working directory, its WARC archive
    in archive/ beside it) and refuses one that holds documents of other sources.

        claimline demo --no-serve --db /tmp/demo.db
    """
    from claimline.config import load_sources
    from claimline.localsite import LocalSite
    from claimline.refresh import refresh as run_refresh
    started = time.monotonic()
    with writer_lock(db_path), LocalSite(DEMO / "site", overlay=DEMO / "earlier") as site:
        sources = load_sources(DEMO / "sources.yml", {"base_url": site.base_url})
        start_demo_db(db_path, [source["id"] for source in sources], keep)
        for night in ("first", "second"):
            counts = run_refresh(db_path, sources, actors_file=STARTER / DEFAULT_ACTORS,
                                 incidents_file=DEMO / "incidents.yml",
                                 settings_module="claimline.crawler.settings.local", command="demo")
            echo_counts(f"{night} refresh", counts)
            site.overlay = None
    db = database.open_db(db_path)
    statements = db["statements"].count
    click.echo(f"built {Path(db_path).resolve()} in {time.monotonic() - started:.0f} s: "
               f"{db['documents'].count} documents, {statements} statements")
    if serve:
        from claimline.site import serve as run_serve
        run_serve(db_path, "127.0.0.1", port, on_ready=lambda url: click.echo(
            f"timeline view: {url}/claimline/timeline\ntimeline page: {url}/timeline"))

"""The `claimline` command line: thin wrappers over the crawl, analysis and site modules."""

import functools
import sys
import time
from pathlib import Path

import click

from claimline import ClaimlineError
from claimline import db as database
from claimline.refresh import PROJECT_ROOT, RUN_COUNTS

DATA = Path(PROJECT_ROOT) / "data"
DEFAULT_DB = "data/claimline.db"
DEFAULT_SOURCES = "data/sources.yml"
DEMO = DATA / "demo"


def db_option(fn):
    return click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                        type=click.Path(dir_okay=False), help="SQLite database file")(fn)


def sources_option(fn):
    return click.option("--sources", "sources_path", default=DEFAULT_SOURCES, show_default=True,
                        type=click.Path(dir_okay=False), help="sources.yml to crawl")(fn)


def archive_option(fn):
    return click.option("--archive", "archive_dir", type=click.Path(file_okay=False),
                        help="Folder of the WARC archive [default: archive/ beside the database]")(fn)


def crawl_settings(archive_dir):
    """Scrapy settings a command line sets for one run."""
    return {"CLAIMLINE_ARCHIVE_DIR": str(Path(archive_dir).resolve())} if archive_dir else {}


def data_options(fn):
    fn = click.option("--actors", "actors_path", default=str(DATA / "actors.yml"),
                      type=click.Path(dir_okay=False), help="Curated actors (actors.yml)")(fn)
    return click.option("--incidents", "incidents_path", default=str(DATA / "incidents.yml"),
                        type=click.Path(dir_okay=False), help="Incidents (incidents.yml)")(fn)


def human_errors(fn):
    """Bad input ends in one line on stderr and a non-zero exit, never a traceback."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ClaimlineError as e:
            raise click.ClickException(str(e)) from None
        except KeyboardInterrupt:
            sys.exit(130)
    return wrapper


def echo_counts(label, counts):
    click.echo(f"{label}: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items()))


@click.group()
@click.version_option(package_name="claimline")
def cli():
    """Who said what, when, and about whom: statements of public-service incidents."""


@cli.command()
@sources_option
@db_option
@archive_option
@human_errors
def crawl(sources_path, db_path, archive_dir):
    """Fetch the sources into the documents table.

        claimline crawl --sources data/sources.yml --db data/claimline.db
    """
    from claimline.config import load_sources
    from claimline.refresh import crawl as run_crawl
    sources = load_sources(sources_path)
    db = database.open_db(db_path)
    run_id = database.start_run(db, "crawl")
    counts = run_crawl(db, db_path, sources, run_id, settings=crawl_settings(archive_dir))
    database.finish_run(db, run_id, "ok", **{k: counts.get(k, 0) for k in RUN_COUNTS})
    echo_counts("crawled", counts)


@cli.command()
@db_option
@data_options
@human_errors
def analyze(db_path, actors_path, incidents_path):
    """Find statements in new and changed documents.

        claimline analyze --db data/claimline.db
    """
    from claimline.analyze import analyze as run_analyze
    if not Path(db_path).exists():
        raise ClaimlineError(f"{db_path}: no such database (run 'claimline crawl' first)")
    echo_counts("analyzed", run_analyze(database.open_db(db_path), actors_path, incidents_path))


@cli.command()
@sources_option
@db_option
@archive_option
@data_options
@human_errors
def refresh(sources_path, db_path, archive_dir, actors_path, incidents_path):
    """Crawl, then analyze: one run, recorded in the runs table.

        claimline refresh --sources data/sources.yml --db data/claimline.db
    """
    from claimline.config import load_sources
    from claimline.refresh import refresh as run_refresh
    counts = run_refresh(db_path, load_sources(sources_path), actors_file=actors_path,
                         incidents_file=incidents_path, settings=crawl_settings(archive_dir))
    echo_counts("refreshed", counts)


@cli.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--account", help="Whose tweets an X archive (tweets.js) holds: its @handle")
@db_option
@human_errors
def import_archive(file, account, db_path):
    """Import an archive of posts or archived pages into the documents table.

    twarc2 JSONL, an X account archive's tweets.js, Mastodon or Bluesky post JSON,
    WARC or WACZ files (archived pages keep their capture date as fetch date).
    The file is read whole first: bad input changes nothing.

        claimline import tweets.jsonl --db data/claimline.db
    """
    from crawler.imports import read_archive, save_documents
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


@cli.command()
@db_option
@click.option("--limit", default=10, show_default=True, help="How many runs to show")
@human_errors
def status(db_path, limit):
    """The last runs and each source's last error.

        claimline status --db data/claimline.db
    """
    if not Path(db_path).exists():
        raise ClaimlineError(f"{db_path}: no such database")
    db = database.open_db(db_path)
    for run in db.query("select * from runs order by id desc limit ?", [limit]):
        click.echo(f"run {run['id']} {run['command']} {run['started_at']} {run['status']}: "
                   f"{run['pages_fetched'] or 0} pages, {run['documents_new'] or 0} new, "
                   f"{run['documents_changed'] or 0} changed, {run['statements_new'] or 0} statements, "
                   f"{run['errors'] or 0} errors")
    for row in db.query("select source_id, count(*) as n, max(at) as last, error from fetch_errors "
                        "group by source_id order by source_id"):
        click.echo(f"source {row['source_id']}: {row['n']} errors, last {row['last']}: {row['error']}")


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
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
              type=click.Path(dir_okay=False), help="SQLite database file to build")
@click.option("--serve/--no-serve", default=True, help="Start Datasette once the database is built")
@click.option("--port", default=8001, show_default=True, type=int, help="Datasette port")
@human_errors
def demo(db_path, serve, port):
    """Offline demo: crawl the bundled April 2021 site from 127.0.0.1, analyse, serve.

    The demo site is crawled twice, as two nights would see it: first with the
    earlier version of an edited article, then with the site as it is now.

        claimline demo --no-serve --db /tmp/demo.db
    """
    from claimline.config import load_sources
    from claimline.localsite import LocalSite
    from claimline.refresh import refresh as run_refresh
    started = time.monotonic()
    with LocalSite(DEMO / "site", overlay=DEMO / "earlier") as site:
        sources = load_sources(DEMO / "sources.yml", {"base_url": site.base_url})
        for night in ("first", "second"):
            counts = run_refresh(db_path, sources, actors_file=DATA / "actors.yml",
                                 incidents_file=DEMO / "incidents.yml",
                                 settings_module="crawler.settings.local", command="demo")
            echo_counts(f"{night} refresh", counts)
            site.overlay = None
    db = database.open_db(db_path)
    statements = db["statements"].count
    click.echo(f"built {db_path} in {time.monotonic() - started:.0f} s: "
               f"{db['documents'].count} documents, {statements} statements")
    if serve:
        from claimline.site import serve as run_serve
        run_serve(db_path, "127.0.0.1", port, on_ready=lambda url: click.echo(
            f"timeline view: {url}/claimline/timeline\ntimeline page: {url}/timeline"))

"""Running unattended: the writer lock, runs left running, source health, status,
vacuum, the scheduler, progress lines."""

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimline import db as database
from claimline.cli import cli
from claimline.lock import EXIT_LOCKED, writer_lock
from claimline.progress import Progress
from claimline.scheduler import Scheduler

ROOT = Path(__file__).parent.parent


def run(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("command", ["refresh", "crawl", "analyze", "vacuum"])
def test_a_second_writer_says_so_and_exits_75(command, db_path, fresh_db):
    with writer_lock(db_path):
        result = run(command, "--db", db_path)
    assert result.exit_code == EXIT_LOCKED
    assert result.output.splitlines() == [
        f"Error: {db_path}: another claimline run is writing to it; not starting (exit 75)"]


def test_the_lock_is_free_again_once_released(db_path):
    with writer_lock(db_path):
        pass
    with writer_lock(db_path):
        pass


def test_a_run_left_running_is_marked_interrupted_by_the_next(fresh_db):
    killed = database.start_run(fresh_db, "refresh")
    database.start_run(fresh_db, "refresh")
    assert fresh_db["runs"].get(killed)["status"] == "interrupted"


def test_a_document_and_its_version_are_saved_together(fresh_db, monkeypatch):
    insert = database.insert_row

    def failing_insert(db, table, row):
        if table == "document_versions":
            raise RuntimeError("killed")
        return insert(db, table, row)

    monkeypatch.setattr(database, "insert_row", failing_insert)
    with pytest.raises(RuntimeError):
        database.save_document(fresh_db, {"url": "https://example.org/a", "kind": "article", "text": "A."})
    assert fresh_db["documents"].count == 0


def crawl_night(db, source_ids, failing=(), seen=()):
    """One crawl run: each source of `failing` gets a fetch error, each of `seen` a page."""
    run_id = database.start_run(db, "crawl")
    for source_id in failing:
        database.record_fetch_error(db, run_id, source_id, f"https://{source_id}.example/",
                                    502, "The server answered 502 Bad Gateway.")
    for source_id in seen:
        database.save_document(db, {"url": f"https://{source_id}.example/{run_id}", "kind": "article",
                                    "source_id": source_id, "text": f"Night {run_id}."})
    database.record_source_health(db, run_id, source_ids)
    database.finish_run(db, run_id, "ok")


@pytest.fixture
def nights(fresh_db):
    """Three nights: `down` fails all three, `flaky` fails then recovers, `partial` has an
    error each night but its other pages come in."""
    database.save_sources(fresh_db, [{"id": s, "kind": "urls"} for s in ("down", "flaky", "partial")])
    ids = ["down", "flaky", "partial"]
    crawl_night(fresh_db, ids, failing=["down", "flaky", "partial"], seen=["partial"])
    crawl_night(fresh_db, ids, failing=["down", "flaky", "partial"], seen=["partial"])
    crawl_night(fresh_db, ids, failing=["down", "partial"], seen=["flaky", "partial"])
    return {s["id"]: s for s in database.source_health(fresh_db)}


def test_failures_in_a_row_count_runs_with_errors_and_no_page(nights):
    assert {s: h["consecutive_failures"] for s, h in nights.items()} == {"down": 3, "flaky": 0, "partial": 0}
    assert nights["down"]["last_success_at"] is None
    assert nights["flaky"]["last_success_at"] is not None
    assert nights["partial"]["last_error"] == "The server answered 502 Bad Gateway."


def test_status_lists_runs_and_sources(nights, db_path):
    result = run("status", "--db", db_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("run 3 crawl ") and " ok in " in lines[0]
    assert lines[3].startswith("source down: failed 3 run(s) in a row, last success never, last error ")
    assert lines[4].startswith("source flaky: ok, last success 20")


def test_status_fails_when_a_source_failed_n_runs_in_a_row(nights, db_path):
    assert run("status", "--db", db_path, "--max-failures", "4").exit_code == 0
    result = run("status", "--db", db_path, "--max-failures", "3")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "Error: 1 source(s) failed 3 runs in a row or more: down"


def test_vacuum_prints_sizes_and_compacts(fresh_db, db_path):
    fresh_db["documents"].insert_all({"id": str(i), "text": "x" * 2000} for i in range(500))
    fresh_db.execute("delete from documents")
    result = run("vacuum", "--db", db_path)
    assert result.exit_code == 0, result.output
    before, after = [float(mb) for mb in re.findall(r"([\d.]+) MB", result.output)]
    assert after < before
    assert not Path(f"{db_path}-wal").exists() or Path(f"{db_path}-wal").stat().st_size == 0


def test_schedule_rejects_a_bad_time():
    result = run("schedule", "--at", "25:00")
    assert result.exit_code == 1
    assert result.output.splitlines() == ["Error: --at '25:00' is not a time of day HH:MM (24 h)"]


def test_the_scheduler_stops_cleanly_on_sigterm(tmp_path):
    log = tmp_path / "refresh.log"
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "claimline", "schedule", "--every", "60", "--db", str(tmp_path / "c.db"),
         "--log", str(log)], cwd=ROOT, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while "scheduler started" not in (log.read_text() if log.exists() else ""):
        assert time.monotonic() < deadline and scheduler.poll() is None
        time.sleep(0.05)
    scheduler.send_signal(signal.SIGTERM)
    assert scheduler.wait(timeout=10) == 0
    assert log.read_text().splitlines()[-1].endswith(" scheduler stopped")


def test_a_scheduled_refresh_skips_while_another_run_writes(tmp_path):
    db_path = str(tmp_path / "c.db")
    log = tmp_path / "refresh.log"
    with writer_lock(db_path):
        code = Scheduler(["--db", db_path], log).refresh()
    assert code == EXIT_LOCKED
    assert log.read_text().splitlines()[-1].endswith(" refresh skipped: another run holds the database")


def test_progress_without_a_terminal_is_a_line_per_stage(capsys):
    with Progress(terminal=False) as progress:
        for done in range(1, 11):
            progress("crawl", done, 10)
        progress("analyze", 1, 2)
        progress("analyze", 2, 2)
    lines = [line.split(" ", 1)[1] for line in capsys.readouterr().out.splitlines()]
    assert lines == ["crawl: 1/10", "crawl: 10/10", "analyze: 1/2", "analyze: 2/2"]


def test_quiet_progress_says_nothing(capsys):
    with Progress(quiet=True, terminal=True) as progress:
        progress("crawl", 1, 10)
    assert capsys.readouterr().out == ""

"""`claimline schedule`: `claimline refresh` every night (or every N minutes) until stopped.

Each refresh runs in its own process with its output appended to the log, so one
night's crash never takes the scheduler down. SIGTERM or SIGINT stops the loop: a
refresh under way is asked to stop (it marks its run `interrupted`) and waited for.
"""

import os
import signal
import subprocess
import sys
import threading

import schedule

from claimline.db import now_iso
from claimline.lock import EXIT_LOCKED
from claimline.refresh import EXIT_FAILED, EXIT_PARTIAL

# exit codes of `claimline refresh` the log names
OUTCOMES = {0: "refresh done", EXIT_LOCKED: "refresh skipped: another run holds the database",
            EXIT_PARTIAL: "refresh done, some sources failed (see claimline status)",
            EXIT_FAILED: "refresh done, every source failed (see claimline status)",
            130: "refresh interrupted"}


class Scheduler:
    def __init__(self, refresh_args, log_path):
        self.command = [sys.executable, "-m", "claimline", "refresh", *refresh_args]
        self.log_path = log_path
        self.stopping = threading.Event()
        self.process = None

    def log(self, line):
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(f"{now_iso()} {line}\n")

    def refresh(self):
        """One refresh, its output in the log; returns its exit code."""
        self.log("refresh started")
        with open(self.log_path, "a", encoding="utf-8") as log:
            self.process = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT)
        code = self.process.wait()
        self.process = None
        self.log(OUTCOMES.get(code, f"refresh failed (exit {code})"))
        return code

    def stop(self, signum, frame):
        self.stopping.set()
        if self.process:
            self.process.send_signal(signal.SIGTERM)

    def run(self, at=None, every_minutes=None):
        """Refresh every day at `at` (HH:MM, local time) or every `every_minutes`."""
        jobs = schedule.Scheduler()
        job = jobs.every(every_minutes).minutes if every_minutes else jobs.every().day.at(at)
        job.do(self.refresh)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self.stop)
        self.log(f"scheduler started (pid {os.getpid()}), first refresh at {job.next_run:%Y-%m-%d %H:%M}")
        while not self.stopping.is_set():
            jobs.run_pending()
            self.stopping.wait(max(0, min(jobs.idle_seconds, 60)))
        self.log("scheduler stopped")

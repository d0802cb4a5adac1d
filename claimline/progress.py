"""Progress of long work: a bar in a terminal, a plain line now and then otherwise
(cron, a log file), nothing at all with `--quiet`."""

import sys
import time

import click

from claimline.db import now_iso

LOG_EVERY_S = 30


class Progress:
    """A `progress(stage, done, total)` callback for crawl and analysis; use it as a
    context manager so the last bar is closed."""

    def __init__(self, quiet=False, terminal=None):
        self.quiet = quiet
        self.terminal = sys.stdout.isatty() if terminal is None else terminal
        self.stage = self.bar = self.unlogged = None
        self.logged_at = 0.0

    def __call__(self, stage, done, total):
        if self.quiet:
            return
        if stage != self.stage:
            self.close()
            self.stage = stage
            if self.terminal:
                self.bar = click.progressbar(length=max(total, 1), label=stage.ljust(8))
        if self.bar:
            self.bar.length = max(total, 1)  # a crawl finds more pages as it goes
            self.bar.update(done - self.bar.pos)
        elif time.monotonic() - self.logged_at >= LOG_EVERY_S:
            self.logged_at = time.monotonic()
            self.log(stage, done, total)
        else:
            self.unlogged = (done, total)

    def log(self, stage, done, total):
        click.echo(f"{now_iso()} {stage}: {done}/{total}")
        self.unlogged = None

    def close(self):
        if self.bar:
            self.bar.render_finish()
        elif self.unlogged:
            self.log(self.stage, *self.unlogged)
        self.stage = self.bar = self.unlogged = None
        self.logged_at = 0.0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

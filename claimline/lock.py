"""One writer at a time: a lock file beside the database.

A cron job and `claimline schedule`, or two crons, must never refresh one database
at once. `fcntl.flock` is released by the kernel when its holder dies, even by
`kill -9`, so a crashed run never leaves a stale lock behind.
"""

import fcntl
from contextlib import contextmanager
from pathlib import Path

from claimline import ClaimlineError

# sysexits.h EX_TEMPFAIL: try again later. Documented in docs/operations.md.
EXIT_LOCKED = 75


class DatabaseLocked(ClaimlineError):
    exit_code = EXIT_LOCKED


def lock_path(db_path):
    return Path(f"{db_path}.lock")


@contextmanager
def writer_lock(db_path):
    """Hold the database's lock for a crawl, an analysis or a refresh, or raise
    `DatabaseLocked` at once if another process holds it."""
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatabaseLocked(f"{db_path}: another claimline run is writing to it; "
                                 f"not starting (exit {EXIT_LOCKED})") from None
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)

"""Page extraction in worker processes beside Scrapy's reactor.

trafilatura, htmldate and language detection are pure Python CPU work (about 3 ms a
page): in the reactor's thread they hold the GIL while downloads wait, and a thread
pool would hold it just the same. `ExtractionPool` runs them in
CLAIMLINE_EXTRACT_WORKERS processes (0: in the crawl's own process) and hands the
spider their result through asyncio.

Workers are started with `spawn`: a fork of the crawl would copy its open sockets and
threads. Each dies with the crawl, even one killed with `kill -9`
(`claimline.processes.die_with_parent`).

A worker that dies (a crash in C code, the kernel's OOM killer) breaks the whole pool:
every page it held fails. The pool is replaced, and each of those pages is read again
alone, one at a time, in a one-worker pool of its own: only a page that kills that
worker too is lost, with an error that says so.
"""

import asyncio
import logging
import multiprocessing
import os
import pickle
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from claimline.processes import die_with_parent

logger = logging.getLogger(__name__)


class ExtractionCrashed(Exception):
    """A page whose extraction killed its worker process, even alone."""


def start_worker(crawl_pid):
    """A worker's first steps: it dies with the crawl, and leaves Ctrl-C to the crawl,
    whose graceful stop still needs its workers for the pages in flight."""
    die_with_parent(crawl_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def call(function, *args):
    """`function(*args)`, in a worker. An exception goes back to the crawl pickled: one that
    cannot be (lxml's carry their error log) goes without its attributes, keeping what the
    crawl's error sentence says of it, its type and message."""
    try:
        return function(*args)
    except Exception as error:
        try:
            pickle.dumps(error)
        except Exception:
            error.__dict__.clear()
        raise


def new_pool(workers):
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=start_worker, initargs=(os.getpid(),))


class ExtractionPool:
    def __init__(self, workers):
        self.workers = workers
        self.pool = new_pool(workers) if workers else None
        self.alone = None  # the one-worker pool where pages of a broken pool are read again
        self.alone_lock = asyncio.Lock()

    async def run(self, function, *args):
        """`function(*args)` in a worker: a module-level function, plain data in and out."""
        if not self.pool:
            return function(*args)
        loop = asyncio.get_running_loop()
        pool = self.pool
        try:
            return await loop.run_in_executor(pool, call, function, *args)
        except BrokenProcessPool:
            if self.pool is pool:  # the first of the broken pool's pages to hear of it
                logger.warning("an extraction worker died: the pool is started again, "
                               "and the pages it held are read again one at a time")
                pool.shutdown(wait=False)
                self.pool = new_pool(self.workers)
        async with self.alone_lock:
            self.alone = self.alone or new_pool(1)
            try:
                return await loop.run_in_executor(self.alone, call, function, *args)
            except BrokenProcessPool:
                self.alone.shutdown(wait=False)
                self.alone = None
                raise ExtractionCrashed from None

    def close(self):
        for pool in (self.pool, self.alone):
            if pool:
                pool.shutdown(cancel_futures=True)

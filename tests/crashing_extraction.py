"""Crawl settings for tests/test_extraction_pool.py: the local settings, and an
extraction that kills its worker process on a page whose URL says `crash-the-worker`.

The spider looks `extract.read_page` up when it sends a page to the pool, and the
pool pickles a function by its module's name: this module, imported as the crawl's
settings, replaces it in the crawl, and is imported again by each worker to unpickle it.
"""

import os

from claimline.crawler import extract
from claimline.crawler.settings.local import *  # noqa: F401,F403

read_page = extract.read_page


def read_page_or_crash(body, content_type, fetched_url, *args):
    if "crash-the-worker" in fetched_url:
        os._exit(70)  # as a crash in C code would: no exception, no cleanup
    return read_page(body, content_type, fetched_url, *args)


extract.read_page = read_page_or_crash

"""Scrapy settings for a polite, unattended crawl.

https://docs.scrapy.org/en/latest/topics/settings.html
"""

import os

BOT_NAME = "claimline"
SPIDER_MODULES = ["claimline.crawler.spiders"]
NEWSPIDER_MODULE = "claimline.crawler.spiders"

CONTACT_URL = os.environ.get("CLAIMLINE_CONTACT_URL", "https://github.com/claimline/claimline")
USER_AGENT = f"claimline/0.1 (+{CONTACT_URL}; incident statement tracker)"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Scrapy retries at once: crawler.middlewares.BackoffMiddleware spaces the site's requests.
CLAIMLINE_BACKOFF_START_DELAY = 2.0
CLAIMLINE_BACKOFF_MAX_DELAY = 120.0
# What retries may cost, in seconds of failed attempts and of the delays before their
# retries (crawler.middlewares.RetryBudgetMiddleware): per URL, and per source.
CLAIMLINE_URL_BUDGET = 30.0
CLAIMLINE_SOURCE_BUDGET = 180.0
# A source whose requests failed this many times in a row is skipped for the rest of the run.
CLAIMLINE_SOURCE_MAX_FAILURES = 5
# A page stored before is fetched again only when its feed entry changed or its revisit
# is due (crawler.middlewares.RevisitMiddleware): [hours since the page was first seen,
# hours between visits from then on]. A nightly run sees a page daily for a week, then weekly.
CLAIMLINE_REVISIT_SCHEDULE = [
    [0, 1],            # its first six hours: hourly
    [6, 24],           # its first week: daily
    [7 * 24, 7 * 24],  # then weekly
]
# Older than this, a page is fetched again only when its feed says it changed.
CLAIMLINE_REVISIT_MAX_AGE_DAYS = 30
# True (claimline refresh --recheck): fetch every page again, due or not.
CLAIMLINE_REVISIT_RECHECK = False
REDIRECT_MAX_TIMES = 10
DUPEFILTER_CLASS = "claimline.crawler.dupefilter.RedirectsPassDupeFilter"

DOWNLOADER_MIDDLEWARES = {
    "claimline.crawler.middlewares.PrivateAddressMiddleware": 50,
    "claimline.crawler.middlewares.ConditionalRequestMiddleware": 100,
    # answers come back from 950 down: it sees a 429 or 5xx before RetryMiddleware (550)
    "claimline.crawler.middlewares.BackoffMiddleware": 560,
    # after the backoff, before RetryMiddleware: it knows the delay and may forbid the retry
    "claimline.crawler.middlewares.RetryBudgetMiddleware": 555,
    # next to the downloader: archives responses before retries, redirects, decompression
    "claimline.crawler.archive.WarcArchiveMiddleware": 950,
}
SPIDER_MIDDLEWARES = {
    # drops the page requests of start() and of the callbacks that are not due
    "claimline.crawler.middlewares.RevisitMiddleware": 800,
    # after HttpErrorMiddleware (50): only the answers the spider reads
    "claimline.crawler.middlewares.PagesFetchedMiddleware": 900,
    "claimline.crawler.middlewares.CallbackErrorMiddleware": 950,
}
# Where WARC files go; crawler/run.py puts them beside the database unless a run says otherwise.
CLAIMLINE_ARCHIVE_DIR = None
EXTENSIONS = {
    "claimline.crawler.progress.ProgressLines": 500,  # progress lines for claimline's progress bar
}
ITEM_PIPELINES = {
    "claimline.crawler.pipelines.SQLitePipeline": 300,
}
# Pages are extracted (trafilatura: CPU work) in this many processes beside the reactor,
# whose own core stays for downloads and saving (crawler.pool); 0 extracts in the crawl's
# own process, as a debugger or profiler wants it. The reactor's work on a page costs
# about what its extraction does: it could not keep more than a few workers busy.
CLAIMLINE_EXTRACT_WORKERS = min(4, max(1, (os.cpu_count() or 1) - 1))
# Scrapy starts this many tasks for every response's output (100 by default: 100,000 tasks
# for 1,000 pages); the pipeline writes to SQLite one item at a time anyway.
CONCURRENT_ITEMS = 4

TELNETCONSOLE_ENABLED = False
LOG_LEVEL = os.environ.get("CLAIMLINE_LOG_LEVEL", "ERROR")
FEED_EXPORT_ENCODING = "utf-8"

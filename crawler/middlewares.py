"""Downloader and spider middlewares: refuse private addresses unless the source allows
them, revalidate pages fetched before, back off from a struggling site, keep retries
within their budgets, revisit stored pages only when due, count the pages fetched, and
turn a callback's crash into a fetch error."""

import functools
import ipaddress
import logging
import socket
from collections import Counter
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy.utils.misc import load_object
from scrapy.utils.response import response_status_message

from claimline import db as database
from claimline.crawler.items import FetchErrorItem

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4096)  # resolving blocks the crawl: once per host is enough
def is_private_host(host):
    """True when `host` is or resolves to a loopback, private, link-local or reserved address."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False  # unresolvable: the download itself will fail with a clear DNS error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if (address.is_private or address.is_loopback or address.is_link_local
                or address.is_reserved or address.is_multicast or address.is_unspecified):
            return True
    return False


class PrivateAddressError(IgnoreRequest):
    pass


class PrivateAddressMiddleware:
    """Blocks SSRF: a feed linking to 127.0.0.1 or 169.254.169.254 is not fetched.

    `allow_private` is true (any address) or a list of host names and addresses:
    `[127.0.0.1]` lets a test site through and still refuses 169.254.169.254.
    Redirected requests come through here again, so a redirect cannot get round it.
    The robots.txt of a host a source was allowed to reach is allowed too (Scrapy's
    RobotsTxtMiddleware asks for it without the source's meta).
    """

    def __init__(self):
        self.allowed_hosts = set()

    def process_request(self, request, spider=None):
        allowed = request.meta.get("allow_private")
        host = urlsplit(request.url).hostname or ""
        if allowed is True or (isinstance(allowed, list) and host in allowed):
            self.allowed_hosts.add(host)
            return None
        if host in self.allowed_hosts and urlsplit(request.url).path == "/robots.txt":
            return None
        if is_private_host(host):
            raise PrivateAddressError(
                f"refused to fetch {request.url}: {host} is a private or loopback address "
                "(allow_private on the source allows it)")
        return None


class ConditionalRequestMiddleware:
    """Sends back a page's ETag and Last-Modified (If-None-Match, If-Modified-Since).

    Only requests marked `revalidate` (article pages) are conditional: feeds and
    listings are read in full every time, since their entries lead to the pages.
    An unchanged page then answers 304 without a body. Scrapy's HttpCacheMiddleware
    would do this too, but it keeps a second copy of every body and answers a 5xx
    with the stale copy, which would hide the error; the WARC archive is our copy.
    """

    def __init__(self, validators):
        self.validators = validators

    @classmethod
    def from_crawler(cls, crawler):
        db = database.open_db(crawler.settings.get("CLAIMLINE_DB"))
        try:
            return cls(database.page_validators(db))
        finally:
            db.close()

    def process_request(self, request, spider=None):
        if not request.meta.get("revalidate"):
            return None
        # a redirected request carries the headers of the URL it came from: not its validators
        for header in (b"If-None-Match", b"If-Modified-Since"):
            request.headers.pop(header, None)
        etag, last_modified = self.validators.get(request.url, (None, None))
        if etag:
            request.headers["If-None-Match"] = etag
        if last_modified:
            request.headers["If-Modified-Since"] = last_modified
        return None


def retry_after_seconds(value):
    """Seconds asked by a Retry-After header (a number or an HTTP date), else 0."""
    if not value:
        return 0.0
    value = value.decode("latin-1").strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError):
        return 0.0


class BackoffMiddleware:
    """Slows down a site that answers 429, 5xx or 408, before RetryMiddleware retries.

    Scrapy retries at once; this doubles the delay of the site's download slot (or
    takes the Retry-After the site asks for), between CLAIMLINE_BACKOFF_START_DELAY and
    CLAIMLINE_BACKOFF_MAX_DELAY, so the retries and the site's other pages come later.
    AutoThrottle brings the delay down again as the site answers 200.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.statuses = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.start_delay = settings.getfloat("CLAIMLINE_BACKOFF_START_DELAY")
        self.max_delay = settings.getfloat("CLAIMLINE_BACKOFF_MAX_DELAY")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        if response.status in self.statuses:
            slot = self.crawler.engine.downloader.slots.get(request.meta.get("download_slot"))
            if slot is not None:
                wanted = max(slot.delay * 2, self.start_delay,
                             retry_after_seconds(response.headers.get("Retry-After")))
                slot.delay = min(wanted, self.max_delay)
        return response


class SourceSkipped(IgnoreRequest):
    """A request not sent: its source kept failing in this run."""


class RetryBudgetMiddleware:
    """Keeps Scrapy's RetryMiddleware within budgets, and skips a source that keeps failing.

    It sits just before RetryMiddleware (and after BackoffMiddleware) on the way back,
    and marks a failed request `dont_retry` when retrying it would overspend:
    - CLAIMLINE_URL_BUDGET, seconds one URL may cost: its failed attempts (their
      download time) and the delays before its retries (the site's download delay,
      which BackoffMiddleware has just raised);
    - CLAIMLINE_SOURCE_BUDGET, the same summed over all the URLs of one source.
    A source whose requests failed CLAIMLINE_SOURCE_MAX_FAILURES times in a row
    (answers RETRY_HTTP_CODES or errors of RETRY_EXCEPTIONS; anything else resets the
    count) is not fetched again in this run: its requests fail with SourceSkipped,
    which says why. Requests of no source (robots.txt) have the URL budget only.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.statuses = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.exceptions = tuple(load_object(e) if isinstance(e, str) else e
                                for e in settings.getlist("RETRY_EXCEPTIONS"))
        self.url_budget = settings.getfloat("CLAIMLINE_URL_BUDGET")
        self.source_budget = settings.getfloat("CLAIMLINE_SOURCE_BUDGET")
        self.max_failures = settings.getint("CLAIMLINE_SOURCE_MAX_FAILURES")
        self.max_retries = settings.getint("RETRY_TIMES")
        self.source_spent = Counter()       # source id: seconds its failures cost
        self.failures_in_a_row = Counter()  # source id: failed attempts since its last answer
        self.skipped = {}                   # source id: why it is skipped

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        reason = self.skipped.get(source_id(request))
        if reason:
            raise SourceSkipped(reason)
        return None

    def process_response(self, request, response, spider=None):
        if response.status in self.statuses:
            self.failed(request, request.meta.get("download_latency", 0.0),
                        f"the server answered HTTP {response_status_message(response.status)}")
        elif source_id(request):
            self.failures_in_a_row[source_id(request)] = 0
        return response

    def process_exception(self, request, exception, spider=None):
        if isinstance(exception, self.exceptions):
            cost = request.meta.get("download_timeout", 0.0) \
                if isinstance(exception, DownloadTimeoutError) else 0.0
            self.failed(request, cost, str(exception) or type(exception).__name__)
        return None

    def failed(self, request, cost, reason):
        """One failed attempt, which cost `cost` seconds: retried only within the budgets."""
        source = source_id(request)
        slot = self.crawler.engine.downloader.slots.get(request.meta.get("download_slot"))
        delay = slot.delay if slot is not None else 0.0  # before the retry is sent
        url_spent = request.meta.get("url_spent", 0.0) + cost
        over_budget = url_spent + delay >= self.url_budget
        if source:
            self.source_spent[source] += cost
            self.failures_in_a_row[source] += 1
            if self.failures_in_a_row[source] >= self.max_failures:
                self.skipped[source] = (f"not fetched: the source failed {self.max_failures} times "
                                        f"in a row ({reason}); skipped for the rest of the run")
            over_budget = (over_budget or source in self.skipped
                           or self.source_spent[source] + delay >= self.source_budget)
        if over_budget:
            request.meta["dont_retry"] = True
            return
        if request.meta.get("retry_times", 0) >= request.meta.get("max_retry_times", self.max_retries):
            return  # RetryMiddleware gives up anyway: no delay to spend
        # RetryMiddleware copies the meta into the retry: the URL's cost so far goes with it
        request.meta["url_spent"] = url_spent + delay
        if source:
            self.source_spent[source] += delay


def source_id(request):
    return (request.meta.get("source") or {}).get("id")


# A visit is due a tenth of its interval early: a nightly cron reaches a page a little
# earlier or later each night, and one fetched at 03:15:40 is due again at 03:15:20.
REVISIT_EARLY = 0.1


def parse_utc(value):
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def revisit_interval(age, schedule, max_age):
    """How long after its last fetch a page first seen `age` ago is due again, by the
    last step of `schedule` ([hours of age from, hours between visits], by age) that
    it has reached; None when it is `max_age` old or older: not visited again."""
    if age >= max_age:
        return None
    interval = None
    for from_hours, every_hours in schedule:
        if age >= timedelta(hours=from_hours):
            interval = timedelta(hours=every_hours)
    return interval


class RevisitMiddleware(BaseSpiderMiddleware):
    """Drops the requests of stored pages that are not due for a visit.

    Feeds, listings, sitemaps and accounts are read every run; a page request
    (`revalidate`) for a URL already in `documents` goes out only when
    - its feed entry (or sitemap `lastmod`) says something else than at the last
      fetch (`feed_signature`: updated date, GUID, title, summary or content), or
    - its revisit is due by CLAIMLINE_REVISIT_SCHEDULE: often in a page's first hours,
      then daily, then weekly, and never once it is CLAIMLINE_REVISIT_MAX_AGE_DAYS old;
    - or always, with CLAIMLINE_REVISIT_RECHECK (`claimline refresh --recheck`).
    A page not visited is neither seen nor gone: its document stays as it was. The
    stats count them (`claimline/pages_not_due`, and per source).
    """

    def __init__(self, crawler, visits):
        super().__init__(crawler)
        settings = crawler.settings
        self.visits = visits
        self.schedule = settings.getlist("CLAIMLINE_REVISIT_SCHEDULE")
        self.max_age = timedelta(days=settings.getfloat("CLAIMLINE_REVISIT_MAX_AGE_DAYS"))
        self.recheck = settings.getbool("CLAIMLINE_REVISIT_RECHECK")
        self.now = datetime.now(timezone.utc)

    @classmethod
    def from_crawler(cls, crawler):
        db = database.open_db(crawler.settings.get("CLAIMLINE_DB"))
        try:
            return cls(crawler, database.page_visits(db))
        finally:
            db.close()

    def get_processed_request(self, request, response):
        if not request.meta.get("revalidate") or self.recheck or self.due(request):
            return request
        stats = self.crawler.stats
        stats.inc_value("claimline/pages_not_due")
        stats.inc_value(f"claimline/pages_not_due/{source_id(request)}")
        return None

    def due(self, request):
        visit = self.visits.get(request.url)
        if visit is None:
            return True  # a new page
        first_seen, last_fetched, signature = visit
        said = request.meta.get("feed_signature")
        if said is not None and said != signature:
            return True
        interval = revisit_interval(self.now - parse_utc(first_seen), self.schedule, self.max_age)
        return interval is not None and \
            self.now - parse_utc(last_fetched) >= interval * (1 - REVISIT_EARLY)


class PagesFetchedMiddleware:
    """Counts the answers that reach the spider (`claimline/pages_fetched`): pages, feeds,
    304s; not error answers, retries, redirects or robots.txt."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_spider_input(self, response, spider=None):
        self.stats.inc_value("claimline/pages_fetched")


class CallbackErrorMiddleware:
    """A callback that crashes on a page records a fetch error; the crawl goes on.

    The traceback still goes to the log (a crash is a bug to fix), the newsroom
    sees a sentence in fetch_errors.
    """

    def process_spider_exception(self, response, exception, spider=None):
        logger.warning("reading %s failed", response.url, exc_info=exception)
        return [FetchErrorItem(
            source_id=response.meta["source"]["id"], url=response.url, status=response.status,
            error=f"claimline could not read the page ({type(exception).__name__}: {exception})")]

"""Downloader and spider middlewares: refuse private addresses unless the source allows
them, revalidate pages fetched before, back off from a struggling site, and turn a
callback's crash into a fetch error."""

import functools
import ipaddress
import logging
import socket
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

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

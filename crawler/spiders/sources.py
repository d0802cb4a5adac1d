"""One spider for every source of a sources file; it dispatches on the source's kind.

Each kind of `claimline.kinds.KINDS` has a `start_<kind>` method that yields the
first requests. Pages end in `parse_page`, feed and listing responses in their own
callbacks. Any failure becomes a `FetchErrorItem` with a human sentence.

Page requests are conditional (`revalidate`, see ConditionalRequestMiddleware): a
304 only marks the page's documents as seen; a 404 or 410 marks them gone. A page
stored before is requested again only when its feed entry changed or its revisit is
due (RevisitMiddleware); the entry's `feed_signature` rides in the request's meta.
"""

import json
from urllib.parse import quote, urlsplit

import feedparser
import scrapy
from scrapy import signals
from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError,
                               DownloadConnectionRefusedError, DownloadTimeoutError, IgnoreRequest)
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap
from twisted.internet.defer import CancelledError
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError

from claimline.crawler import extract, posts
from claimline.crawler.items import DocumentItem, FetchErrorItem, PageGoneItem, PageUnchangedItem
from claimline.kinds import KINDS
from claimline.crawler.middlewares import PrivateAddressError, SourceSkipped
from claimline.crawler.pool import ExtractionCrashed, ExtractionPool
from claimline import db as database
from claimline.db import now_iso

GONE_STATUSES = (404, 410)
BLUESKY_PUBLIC_API = "https://public.api.bsky.app"
POSTS_PER_REQUEST = 40  # the Mastodon API's maximum; nightly runs need only the latest
# What Scrapy's own middlewares say when they drop a request, in words for a newsroom.
DROPPED_REQUEST_REASONS = {
    "max redirections reached": "the page redirects in a loop (or through too many redirections)",
    "Forbidden by robots.txt": "robots.txt forbids fetching this page",
}


def describe_failure(failure, max_size):
    """A one-line, human description of why a request failed, and its HTTP status."""
    if failure.check(HttpError):
        response = failure.value.response
        message = f"the server answered HTTP {response.status}"
        retries = failure.request.meta.get("retry_times")
        if retries:
            message += f" ({retries + 1} attempts)"
        if response.status in GONE_STATUSES:
            message += ": the page is gone (earlier copies are kept)"
        return message, response.status
    if failure.check(PrivateAddressError, SourceSkipped):
        return str(failure.value), None
    if failure.check(IgnoreRequest):
        reason = failure.getErrorMessage()
        return DROPPED_REQUEST_REASONS.get(reason, f"the request was dropped: {reason}"), None
    if failure.check(DownloadCancelledError, CancelledError):
        return f"the page is larger than the size limit ({max_size:,} bytes): not kept", None
    if failure.check(DNSLookupError, CannotResolveHostError):
        return "the host name could not be resolved", None
    if failure.check(TimeoutError, TCPTimedOutError, DownloadTimeoutError):
        return "the server did not answer in time", None
    if failure.check(DownloadConnectionRefusedError):
        return "the server refused the connection (nothing listens at that address)", None
    return f"the download failed: {failure.getErrorMessage()}", None


def feed_signature(entry):
    """A hash of what a feed entry says of its page: an edit usually changes its
    updated date, summary or content, rarely its GUID."""
    content = [part.get("value") for part in entry.get("content") or []]
    return database.short_hash(entry.get("id"), entry.get("updated"), entry.get("published"),
                               entry.get("title"), entry.get("summary"), *content)


def _header(response, name):
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class SourcesSpider(scrapy.Spider):
    name = "sources"

    def __init__(self, sources_file=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with open(sources_file, encoding="utf-8") as f:
            self.sources = json.load(f)
        self.extraction = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.open_extraction, signal=signals.spider_opened)
        return spider

    def open_extraction(self):
        self.extraction = ExtractionPool(self.settings.getint("CLAIMLINE_EXTRACT_WORKERS"))

    def closed(self, reason):
        if self.extraction:
            self.extraction.close()

    async def start(self):
        for source in self.sources:
            try:
                requests = list(getattr(self, f"start_{source['kind']}")(source))
            except Exception as e:  # a source that cannot start must not stop the others
                yield FetchErrorItem(source_id=source["id"], url=source.get("url") or "",
                                     error=f"the source could not be started: {e}")
                continue
            for request in requests:
                yield request

    # -- helpers ---------------------------------------------------------------

    def request(self, url, source, callback, **meta):
        """A request whose failure is recorded; tracking parameters are dropped first,
        so one article linked from several feeds is fetched once."""
        return scrapy.Request(
            extract.clean_url(url), callback=callback, errback=self.on_error,
            meta={"source": source, "allow_private": source.get("allow_private") or False, **meta},
        )

    def page_request(self, url, source, **meta):
        """A request for an article page: conditional, and a 304 reaches `parse_page`."""
        return self.request(url, source, self.parse_page, revalidate=True,
                            handle_httpstatus_list=[304], **meta)

    def on_error(self, failure):
        request = failure.request
        message, status = describe_failure(failure, self.settings.getint("DOWNLOAD_MAXSIZE"))
        yield FetchErrorItem(source_id=request.meta["source"]["id"], url=request.url,
                             error=message, status=status)
        if status in GONE_STATUSES and request.meta.get("revalidate"):
            yield PageGoneItem(fetched_url=failure.value.response.url, at=now_iso())

    def error(self, response, message):
        return FetchErrorItem(source_id=response.meta["source"]["id"], url=response.url,
                              error=message, status=response.status)

    def document_kind(self, source):
        return source.get("document_kind") or KINDS[source["kind"]].default_document_kind

    def read_json(self, response):
        """(data, None), or (None, an error item) when the answer is not JSON."""
        try:
            return json.loads(response.body), None
        except ValueError as e:
            return None, self.error(response, f"the answer is not valid JSON: {e}")

    def post_item(self, post, response, kind="post", parent_id=None, outlet=None):
        """A `post` document from a `crawler.posts.Post` read in `response`; `outlet`
        replaces the platform's name (a source's own `outlet`)."""
        return DocumentItem(
            url=extract.clean_url(post.url), fetched_url=response.url,
            source_id=response.meta["source"]["id"], kind=kind, text=post.text, title=None,
            author=post.author, outlet=outlet or post.platform,
            published_at=post.published_at, published_at_source="post",
            lang=extract.detect_language(post.text, post.lang),
            fetched_at=now_iso(), parent_id=parent_id,
            warc_file=response.meta.get("warc_file"),
            warc_record_id=response.meta.get("warc_record_id"))

    # -- kinds -----------------------------------------------------------------

    def start_feed(self, source):
        yield self.request(source["url"], source, self.parse_feed)

    def start_urls(self, source):
        for url in source["urls"]:
            yield self.page_request(url, source)

    def start_html(self, source):
        yield self.request(source["url"], source, self.parse_listing)

    def start_sitemap(self, source):
        yield self.request(source["url"], source, self.parse_sitemap)

    def start_mastodon(self, source):
        url = source["url"]
        if urlsplit(url).path.endswith(".rss"):
            yield self.request(url, source, self.parse_mastodon)
            return
        # https://instance/@account: its id first, then its statuses
        parts = urlsplit(url)
        account = parts.path.strip("/").removeprefix("@")
        yield self.request(f"{parts.scheme}://{parts.netloc}/api/v1/accounts/lookup?acct={quote(account)}",
                           source, self.parse_mastodon_account)

    def start_bluesky(self, source):
        api = source.get("api") or BLUESKY_PUBLIC_API
        yield self.request(f"{api.rstrip('/')}/xrpc/app.bsky.feed.getAuthorFeed?"
                           f"actor={quote(source['handle'])}&filter=posts_no_replies&limit=100",
                           source, self.parse_bluesky)

    # -- callbacks -------------------------------------------------------------

    def parse_feed_bytes(self, response):
        """feedparser on bytes Scrapy fetched: (parsed feed, error item or None).

        A malformed feed is recorded as an error; whatever entries feedparser could
        still read are kept.
        """
        parsed = feedparser.parse(response.body)
        if parsed.bozo and not isinstance(parsed.bozo_exception, feedparser.CharacterEncodingOverride):
            reason = getattr(parsed, "bozo_exception", "not a feed")
            return parsed, self.error(response, f"the feed could not be parsed: {reason}")
        return parsed, None

    def parse_feed(self, response):
        source = response.meta["source"]
        parsed, error = self.parse_feed_bytes(response)
        if error:
            yield error
        for entry in parsed.entries:
            link = entry.get("link")
            if not link:
                continue
            yield self.page_request(response.urljoin(link), source, entry={
                "title": entry.get("title"),
                "published": entry.get("published") or entry.get("updated"),
                "summary": entry.get("summary"),
            }, feed_signature=feed_signature(entry))

    def parse_listing(self, response):
        source = response.meta["source"]
        for href in response.css(source["links"]).xpath("@href").getall():
            yield self.page_request(response.urljoin(href), source)
        if source.get("next"):
            for href in response.css(source["next"]).xpath("@href").getall()[:1]:
                yield self.request(response.urljoin(href), source, self.parse_listing)

    def parse_sitemap(self, response):
        source = response.meta["source"]
        try:
            sitemap = Sitemap(response.body)
        except Exception as e:  # lxml raises several types on broken XML
            yield self.error(response, f"the sitemap could not be parsed: {e}")
            return
        for entry in sitemap:
            url = response.urljoin(entry["loc"])
            if sitemap.type == "sitemapindex":
                yield self.request(url, source, self.parse_sitemap)
            else:  # a sitemap's lastmod is its word on an edit
                yield self.page_request(url, source, feed_signature=entry.get("lastmod"))

    def parse_mastodon(self, response):
        source = response.meta["source"]
        parsed, error = self.parse_feed_bytes(response)
        if error:
            yield error
        account = parsed.feed.get("title") or source.get("name")
        kind = self.document_kind(source)
        for entry in parsed.entries:
            if entry.get("link"):
                yield self.post_item(posts.Post(
                    url=entry["link"], platform="Mastodon", handle="", name=account,
                    text=extract.html_to_text(entry.get("summary") or ""),
                    published_at=extract.parse_datetime(entry.get("published")),
                    lang=source.get("lang")), response, kind, outlet=source.get("outlet"))

    def parse_mastodon_account(self, response):
        account, error = self.read_json(response)
        if error:
            yield error
            return
        yield self.request(
            response.urljoin(f"/api/v1/accounts/{account['id']}/statuses?"
                             f"exclude_reblogs=true&limit={POSTS_PER_REQUEST}"),
            response.meta["source"], self.parse_mastodon_statuses)

    def parse_mastodon_statuses(self, response):
        statuses, error = self.read_json(response)
        if error:
            yield error
            return
        source = response.meta["source"]
        for status in statuses:
            yield self.post_item(posts.mastodon_status(status), response,
                                 self.document_kind(source), outlet=source.get("outlet"))

    def parse_bluesky(self, response):
        data, error = self.read_json(response)
        if error:
            yield error
            return
        source = response.meta["source"]
        for post in posts.bluesky_posts(data):
            yield self.post_item(post, response, self.document_kind(source),
                                 outlet=source.get("outlet"))

    def parse_embedded_mastodon(self, response):
        """A Mastodon status embedded in an article: a post whose parent is the article."""
        status, error = self.read_json(response)
        if error:
            yield error
            return
        yield self.post_item(posts.mastodon_status(status), response,
                             parent_id=response.meta["parent_id"])

    async def parse_page(self, response):
        source = response.meta["source"]
        if response.status == 304:
            yield PageUnchangedItem(fetched_url=response.url, fetched_at=now_iso(),
                                    feed_signature=response.meta.get("feed_signature"))
            return
        if not isinstance(response, scrapy.http.TextResponse):
            yield self.error(response, "the page is not text (binary content)")
            return
        try:
            page, charset_note = await self.extraction.run(
                extract.read_page, response.body,
                response.headers.get("Content-Type", b"").decode("latin-1"), response.url,
                response.meta.get("entry") or {}, source.get("lang"))
        except ExtractionCrashed:
            yield self.error(response, f"extracting {response.url} killed the worker process, "
                                       "twice (the second time alone): the page is not kept")
            return
        if charset_note:
            yield self.error(response, charset_note)
        if not page["text"]:
            yield self.error(response, "no main text could be extracted from the page")
            return
        page["outlet"] = source.get("outlet") or page["outlet"] or source.get("name")
        fetched_at = now_iso()
        capture = {"warc_file": response.meta.get("warc_file"),
                   "warc_record_id": response.meta.get("warc_record_id")}
        embedded = []
        for found in page.pop("embedded_posts"):
            post = posts.Post(**found)
            embedded.append(DocumentItem(
                url=post.url, source_id=source["id"], kind="post", text=post.text,
                author=post.author, outlet=post.platform, published_at=post.published_at,
                published_at_source="embed", lang=extract.detect_language(post.text, post.lang),
                fetched_at=fetched_at, **capture))
        for api_url in page.pop("mastodon_embeds"):
            yield self.request(api_url, source, self.parse_embedded_mastodon,
                               parent_id=database.document_id(page["url"]))
        yield DocumentItem(
            **page, source_id=source["id"], kind=self.document_kind(source),
            fetched_at=fetched_at, embedded_posts=embedded, **capture,
            etag=_header(response, b"ETag"), last_modified=_header(response, b"Last-Modified"),
            feed_signature=response.meta.get("feed_signature"))

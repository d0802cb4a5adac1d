"""One spider for every source of a sources file; it dispatches on the source's kind.

Each kind of `crawler.kinds.KINDS` has a `start_<kind>` method that yields the
first requests. Pages end in `parse_page`, feed and listing responses in their own
callbacks. Any failure becomes a `FetchErrorItem` with a human sentence.
"""

import json

import feedparser
import scrapy
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError

from crawler import extract
from crawler.items import DocumentItem, FetchErrorItem
from crawler.kinds import KINDS
from crawler.middlewares import PrivateAddressError
from claimline.db import now_iso

FEED_CONTENT_TYPES = ("xml", "rss", "atom")


def describe_failure(failure):
    """A one-line, human description of why a request failed, and its HTTP status."""
    if failure.check(HttpError):
        response = failure.value.response
        return f"the server answered HTTP {response.status}", response.status
    if failure.check(PrivateAddressError):
        return str(failure.value), None
    if failure.check(DNSLookupError):
        return "the host name could not be resolved", None
    if failure.check(TimeoutError, TCPTimedOutError):
        return "the server did not answer in time", None
    return f"the download failed: {failure.getErrorMessage()}", None


class SourcesSpider(scrapy.Spider):
    name = "sources"

    def __init__(self, sources_file=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with open(sources_file, encoding="utf-8") as f:
            self.sources = json.load(f)

    async def start(self):
        for source in self.sources:
            for request in getattr(self, f"start_{source['kind']}")(source):
                yield request

    # -- helpers ---------------------------------------------------------------

    def request(self, url, source, callback, **meta):
        return scrapy.Request(
            url, callback=callback, errback=self.on_error,
            meta={"source": source, "allow_private": bool(source.get("allow_private")), **meta},
        )

    def on_error(self, failure):
        request = failure.request
        message, status = describe_failure(failure)
        yield FetchErrorItem(source_id=request.meta["source"]["id"], url=request.url,
                             error=message, status=status)

    def error(self, response, message):
        return FetchErrorItem(source_id=response.meta["source"]["id"], url=response.url,
                              error=message, status=response.status)

    def document_kind(self, source):
        return source.get("document_kind") or KINDS[source["kind"]].default_document_kind

    # -- kinds -----------------------------------------------------------------

    def start_feed(self, source):
        yield self.request(source["url"], source, self.parse_feed)

    def start_urls(self, source):
        for url in source["urls"]:
            yield self.request(url, source, self.parse_page)

    def start_html(self, source):
        yield self.request(source["url"], source, self.parse_listing)

    def start_sitemap(self, source):
        yield self.request(source["url"], source, self.parse_sitemap)

    def start_mastodon(self, source):
        yield self.request(source["url"], source, self.parse_mastodon)

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
            yield self.request(response.urljoin(link), source, self.parse_page, entry={
                "title": entry.get("title"),
                "published": entry.get("published") or entry.get("updated"),
                "summary": entry.get("summary"),
            })

    def parse_listing(self, response):
        source = response.meta["source"]
        for href in response.css(source["links"]).xpath("@href").getall():
            yield self.request(response.urljoin(href), source, self.parse_page)
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
        callback = self.parse_sitemap if sitemap.type == "sitemapindex" else self.parse_page
        for entry in sitemap:
            yield self.request(response.urljoin(entry["loc"]), source, callback)

    def parse_mastodon(self, response):
        source = response.meta["source"]
        parsed, error = self.parse_feed_bytes(response)
        if error:
            yield error
        account = parsed.feed.get("title") or source.get("name")
        for entry in parsed.entries:
            if not entry.get("link"):
                continue
            text = extract.html_to_text(entry.get("summary") or "")
            yield DocumentItem(
                url=extract.clean_url(entry["link"]), fetched_url=response.url,
                source_id=source["id"], kind=self.document_kind(source), text=text,
                title=None, author=account, outlet=source.get("outlet") or "Mastodon",
                published_at=extract.parse_datetime(entry.get("published")),
                published_at_source="feed", lang=extract.detect_language(text, source.get("lang")),
                fetched_at=now_iso())

    def parse_page(self, response):
        source = response.meta["source"]
        if not isinstance(response, scrapy.http.TextResponse):
            yield self.error(response, "the page is not text (binary content)")
            return
        entry = response.meta.get("entry") or {}
        page = extract.extract_page(
            response.text, response.url,
            feed_date=extract.parse_datetime(entry.get("published")),
            feed_title=entry.get("title"),
            feed_summary=extract.html_to_text(entry.get("summary") or ""),
            declared_lang=source.get("lang"))
        if not page["text"]:
            yield self.error(response, "no main text could be extracted from the page")
            return
        page["outlet"] = source.get("outlet") or page["outlet"] or source.get("name")
        fetched_at = now_iso()
        posts = [
            DocumentItem(
                url=post["url"], source_id=source["id"], kind="post", text=post["text"],
                author=f"{post['name']} (@{post['handle']})", outlet="Twitter",
                published_at=post["published_at"], published_at_source="embed",
                lang=extract.detect_language(post["text"], post["lang"]), fetched_at=fetched_at)
            for post in page.pop("embedded_posts")
        ]
        yield DocumentItem(
            **page, source_id=source["id"], kind=self.document_kind(source),
            fetched_at=fetched_at, embedded_posts=posts)

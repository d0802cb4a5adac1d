"""What the spider yields: documents to store, pages seen unchanged or gone, fetch errors."""

from dataclasses import dataclass, field


@dataclass
class DocumentItem:
    url: str                        # canonical URL: the document's identity
    source_id: str
    kind: str                       # article, press_release, post
    text: str
    fetched_url: str | None = None  # the URL actually fetched
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    published_at: str | None = None
    published_at_source: str | None = None  # which signal gave the date
    lang: str | None = None
    fetched_at: str | None = None
    parent_id: str | None = None    # the article a post is embedded in
    etag: str | None = None         # HTTP validators, sent back on the next fetch
    last_modified: str | None = None
    warc_file: str | None = None    # where the fetched response is archived
    warc_record_id: str | None = None
    feed_signature: str | None = None  # what its feed entry said: see RevisitMiddleware
    embedded_posts: list = field(default_factory=list)  # DocumentItems of kind "post"


@dataclass
class FetchErrorItem:
    source_id: str
    url: str
    error: str                      # a human sentence
    status: int | None = None


@dataclass
class PageUnchangedItem:
    fetched_url: str                # the page answered 304 Not Modified
    fetched_at: str
    feed_signature: str | None = None


@dataclass
class PageGoneItem:
    fetched_url: str                # the page answered 404 or 410
    at: str

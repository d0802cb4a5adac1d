"""The registry of source kinds: what each kind of `sources.yml` entry needs.

One place for the fact: `claimline.config` validates entries against it and the
spider dispatches on it (`SourcesSpider.start_<kind>`). docs/sources.md says how to
add a kind.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceKind:
    name: str
    description: str
    required: tuple = ("url",)
    optional: tuple = field(default_factory=tuple)
    default_document_kind: str = "article"


COMMON_OPTIONS = ("name", "owner", "document_kind", "lang", "allow_private", "outlet")

KINDS = {kind.name: kind for kind in [
    SourceKind("feed", "RSS 0.9x/1.0/2.0 or Atom feed; each entry's link is fetched as a page"),
    SourceKind("html", "a listing page (press room); links matched by a CSS selector are fetched",
               required=("url", "links"), optional=("next",)),
    SourceKind("sitemap", "an XML sitemap or sitemap index (news sitemaps included)"),
    SourceKind("urls", "an explicit list of pages", required=("urls",)),
    SourceKind("mastodon", "a Mastodon account: its public RSS feed (https://instance/@user.rss) "
               "or its profile URL (https://instance/@user), read through the public API JSON; "
               "each status is a post", default_document_kind="post"),
    SourceKind("bluesky", "a Bluesky account's public posts (its handle), from the public, "
               "unauthenticated author feed (app.bsky.feed.getAuthorFeed); `api` changes the "
               "server (default https://public.api.bsky.app)",
               required=("handle",), optional=("api",), default_document_kind="post"),
]}

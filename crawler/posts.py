"""Social posts from the JSON of the platforms that publish them.

One function per shape, each returning `Post`s: the crawler uses them on the
Mastodon and Bluesky public APIs, `claimline import` on researchers' archives
(twarc2, X account archives, Mastodon and Bluesky JSON).
"""

import html
from dataclasses import dataclass
from datetime import datetime

from claimline.crawler.extract import html_to_text, parse_datetime

BLUESKY_POST_TYPE = "app.bsky.feed.post"


@dataclass
class Post:
    url: str
    platform: str          # Twitter, Mastodon, Bluesky: the outlet
    handle: str
    name: str
    text: str
    published_at: str | None
    lang: str | None = None

    @property
    def author(self):
        """"Name (@handle)", as the timeline shows a post's author."""
        if not self.handle:
            return self.name or None
        return f"{self.name} (@{self.handle})" if self.name else f"@{self.handle}"


# -- Mastodon ------------------------------------------------------------------

def mastodon_status(status):
    """A Mastodon status (REST API JSON); a boost gives the boosted post, by its author."""
    status = status.get("reblog") or status
    account = status.get("account") or {}
    text = html_to_text(status.get("content") or "")
    if status.get("spoiler_text"):
        text = f"{status['spoiler_text']}\n\n{text}"
    return Post(url=status.get("url") or status["uri"], platform="Mastodon",
                handle=account.get("acct") or account.get("username") or "",
                name=account.get("display_name") or account.get("username") or "",
                text=text, published_at=parse_datetime(status.get("created_at")),
                lang=status.get("language"))


# -- Bluesky -------------------------------------------------------------------

def bluesky_post_url(at_uri):
    """https://bsky.app/profile/DID/post/RKEY from at://DID/app.bsky.feed.post/RKEY.

    The DID, not the handle: handles change, and embeds link posts by DID, so a post
    reached both ways is one document.
    """
    did, _, rkey = at_uri.removeprefix("at://").split("/")
    return f"https://bsky.app/profile/{did}/post/{rkey}"


def bluesky_post(view):
    """A Bluesky post view (`app.bsky.feed.defs#postView`: uri, author, record)."""
    author, record = view["author"], view["record"]
    handle = author.get("handle") or author["did"]
    return Post(url=bluesky_post_url(view["uri"]), platform="Bluesky", handle=handle,
                name=author.get("displayName") or handle, text=record.get("text") or "",
                published_at=parse_datetime(record.get("createdAt")),
                lang=(record.get("langs") or [None])[0])


def bluesky_posts(data, reposts=False):
    """The posts of any Bluesky JSON shape: getAuthorFeed (`feed` of `{post, reason}`),
    getPostThread (`thread`, with its parent and replies), getPosts / searchPosts
    (`posts`), one post view, or a list of those. An account's reposts are not its own
    words: left out unless `reposts`."""
    if isinstance(data, list):
        for item in data:
            yield from bluesky_posts(item, reposts)
    elif "feed" in data:
        yield from bluesky_posts(data["feed"], reposts)
    elif isinstance(data.get("post"), dict):  # a feed item
        if reposts or not data.get("reason"):
            yield bluesky_post(data["post"])
    elif "thread" in data:
        stack = [data["thread"]]
        while stack:
            node = stack.pop()
            if "post" in node:
                yield bluesky_post(node["post"])
            stack.extend(node.get("replies") or [])
            if node.get("parent"):
                stack.append(node["parent"])
    elif "posts" in data:
        yield from bluesky_posts(data["posts"], reposts)
    elif is_bluesky_post(data):
        yield bluesky_post(data)


def is_bluesky_post(data):
    record_type = (data.get("record") or {}).get("$type") or ""
    return record_type.split("#")[0] == BLUESKY_POST_TYPE


# -- Twitter / X -----------------------------------------------------------------

def twitter_url(handle, tweet_id):
    return f"https://twitter.com/{handle}/status/{tweet_id}" if handle \
        else f"https://twitter.com/i/web/status/{tweet_id}"


def twarc2_page(page):
    """The tweets of one twarc2 / API v2 response: `data` with authors from `includes.users`."""
    users = {user["id"]: user for user in (page.get("includes") or {}).get("users", [])}
    data = page.get("data") or []
    for tweet in data if isinstance(data, list) else [data]:
        if any(ref.get("type") == "retweeted" for ref in tweet.get("referenced_tweets") or []):
            continue  # a retweet is someone else's words, cut short
        user = users.get(tweet.get("author_id"), {})
        handle = user.get("username") or ""
        # the API escapes &, < and > in the text
        text = html.unescape((tweet.get("note_tweet") or {}).get("text") or tweet["text"])
        yield Post(url=twitter_url(handle, tweet["id"]), platform="Twitter", handle=handle,
                   name=user.get("name") or handle, text=text,
                   published_at=parse_datetime(tweet.get("created_at")),
                   lang=None if tweet.get("lang") in (None, "und") else tweet["lang"])


def twitter_archive_tweets(items, handle="", name=""):
    """The tweets of an X account archive (`tweets.js`) but its retweets; the archive
    names no author: `handle` and `name` say whose they are. Tweets saved from the v1.1
    API (twitter-to-sqlite) have the same shape."""
    for item in items:
        tweet = item.get("tweet", item)
        if not (tweet.get("retweeted") or tweet.get("full_text", "").startswith("RT @")):
            yield twitter_archive_tweet(tweet, handle, name)


def twitter_archive_tweet(tweet, handle, name):
    """One tweet in the v1.1 shape of archives; one saved from the v1.1 API names its `user`."""
    user = tweet.get("user") or {}
    handle = handle or user.get("screen_name") or ""
    name = name or user.get("name") or ""
    created = tweet.get("created_at")
    published = None
    if created:
        published = datetime.strptime(created, "%a %b %d %H:%M:%S %z %Y").isoformat()
    return Post(url=twitter_url(handle, tweet["id_str"]), platform="Twitter", handle=handle,
                name=name or handle,
                text=html.unescape(tweet.get("full_text") or tweet.get("text") or ""),
                published_at=published,
                lang=None if tweet.get("lang") in (None, "und") else tweet["lang"])

"""From a fetched page to a document: main text, metadata and embedded posts.

trafilatura finds the main text, htmldate the date when the page's own metadata
does not give a full timestamp. Embedded posts
are taken out of the page before extraction so that their words are not read as
the article's own (and are not glued to the next paragraph by the parser).
"""

import json
import re
from datetime import datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import htmldate
import py3langid
import trafilatura
from dateutil import parser as date_parser
from lxml import html as lxml_html
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

# Named selectors (XPath) in one place.
CANONICAL_XPATH = "//link[@rel='canonical']/@href"
JSON_LD_XPATH = "//script[@type='application/ld+json']/text()"
META_DATE_XPATHS = [
    ("meta:article:published_time", "//meta[@property='article:published_time']/@content"),
    ("meta:og:published_time", "//meta[@property='og:published_time']/@content"),
    ("meta:itemprop:datePublished", "//meta[@itemprop='datePublished']/@content"),
    ("meta:date", "//meta[@name='date' or @name='DC.date' or @name='dc.date' "
                  "or @name='pubdate' or @name='publish-date']/@content"),
    ("time:datetime", "//time[@itemprop='datePublished' or @pubdate or @class='published']"
                      "/@datetime"),
]
SITE_NAME_XPATH = "//meta[@property='og:site_name']/@content"
HTML_LANG_XPATH = "/html/@lang"
TWEET_EMBED_XPATH = "//blockquote[contains(concat(' ', normalize-space(@class), ' '), ' twitter-tweet ')]"
TWEET_STATUS_RE = re.compile(r"^https?://(?:mobile\.)?(?:twitter|x)\.com/([^/]+)/status/(\d+)")
BLUESKY_EMBED_XPATH = "//blockquote[contains(concat(' ', normalize-space(@class), ' '), ' bluesky-embed ')]"
BLUESKY_URI_RE = re.compile(r"^at://(did:[^/]+)/app\.bsky\.feed\.post/(\w+)$")
# Mastodon's embed code (an iframe, or since 4.3 a blockquote) carries no text: only
# the status URL, https://instance/@account/ID, whose JSON the public API gives.
MASTODON_EMBED_XPATH = ("//*[contains(concat(' ', normalize-space(@class), ' '), ' mastodon-embed ')]"
                        "/@*[name()='src' or name()='data-embed-url']")
MASTODON_STATUS_RE = re.compile(r"^(https?://[^/]+)/@[^/]+/(\d+)(?:/embed)?/?$")
EMBED_BYLINE_RE = re.compile(r"[—–-]\s*(?P<name>.*?)\s*\(@(?P<handle>[\w.-]+)\)")
# The lead under the headline (chapô, standfirst), often outside the body trafilatura keeps:
# a paragraph whose class says so.
LEAD_XPATH = ("//p[" + " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
                                   for name in ("chapo", "chapeau", "standfirst", "lead", "intro",
                                                "article__desc", "deck")) + "]")
LEAD_MIN_WORDS = 8
LANG_MIN_CHARS = 40
# The start of a text tells its language as well as the whole; py3langid's time grows with length.
LANG_SAMPLE_CHARS = 1000
TEXT_BREAK_TAGS = ("p", "br", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6")
# Query parameters that only say where a reader came from (one article, many feeds).
TRACKING_PARAM_RE = re.compile(
    r"^(?:utm_|at_|mtm_|pk_|xtor$|fbclid$|gclid$|dclid$|msclkid$|mc_cid$|mc_eid$|igshid$|ref_src$)",
    re.I)
# What a page that is not the UTF-8 it claims (or claims nothing) most likely is, in French news.
LEGACY_ENCODING = "cp1252"


def parse_datetime(value):
    """An ISO 8601 string from a date in any common machine format, or None."""
    if not value:
        return None
    try:
        parsed = date_parser.parse(value.strip())
    except (ValueError, OverflowError):
        return None
    if parsed.year < 1990:
        return None
    if parsed.hour == parsed.minute == parsed.second == 0 and len(value.strip()) <= 10:
        return parsed.date().isoformat()
    return parsed.isoformat()


def _json_ld_objects(tree):
    for raw in tree.xpath(JSON_LD_XPATH):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                stack.extend(v for k, v in item.items() if k == "@graph")


def find_published(tree, html_text, url, fallback=None):
    """The publication date and the signal it came from, trying in order:

    1. JSON-LD `datePublished` (usually a full timestamp with offset);
    2. meta tags and `<time datetime>` marked as the publication time;
    3. htmldate's search of the whole page (original date, extensive search);
    4. `fallback`, the date the feed entry gave;
    else (None, None).
    """
    for obj in _json_ld_objects(tree):
        value = parse_datetime(str(obj.get("datePublished") or ""))
        if value:
            return value, "json-ld"
    for signal, xpath in META_DATE_XPATHS:
        for raw in tree.xpath(xpath):
            value = parse_datetime(raw)
            if value:
                return value, signal
    found = htmldate.find_date(html_text, url=url, original_date=True, extensive_search=True)
    if found:
        return found, "htmldate"
    if fallback:
        return fallback, "feed"
    return None, None


def canonical_url(tree, fetched_url):
    """`rel=canonical` if the page has one, else the fetched URL; tracking parameters removed."""
    hrefs = tree.xpath(CANONICAL_XPATH)
    url = urljoin(fetched_url, hrefs[0].strip()) if hrefs and hrefs[0].strip() else fetched_url
    return clean_url(url)


def clean_url(url):
    """`url` without its fragment and tracking parameters (utm_*, xtor, at_*…).

    Other parameters stay as they are and in their order: `spip.php?article123`
    and `?p=42` are what tell articles apart.
    """
    parts = urlsplit(url.strip())
    query = [param for param in parts.query.split("&")
             if param and not TRACKING_PARAM_RE.match(param.split("=", 1)[0])]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       "&".join(query), ""))


def decode_html(body, content_type=""):
    """The text of an HTML page, and a sentence when its charset had to be guessed.

    The charset declared by the HTTP header, a BOM or a meta tag is used when the
    bytes decode with it; a page that declares UTF-8 (or nothing) but is not UTF-8
    is read as windows-1252 and the sentence says so.
    """
    declared = (http_content_type_encoding(content_type or "") or read_bom(body)[0]
                or html_body_declared_encoding(body))
    try:
        return body.decode(declared or "utf-8"), None
    except (UnicodeDecodeError, LookupError):
        pass
    if declared:
        note = f"the page declares the charset {declared} but is not {declared}: read as windows-1252"
    else:
        note = "the page declares no charset and is not UTF-8: read as windows-1252"
    return body.decode(LEGACY_ENCODING, errors="replace"), note


def detect_language(text, declared=None):
    """The text's language; the declared one (html lang, source) when the text is too short."""
    if text and len(text) >= LANG_MIN_CHARS:
        return py3langid.classify(text[:LANG_SAMPLE_CHARS])[0]
    return (declared or "").split("-")[0].lower() or None


def _embed_date(text):
    try:
        return datetime.strptime(text.strip(), "%B %d, %Y").date().isoformat()
    except ValueError:
        return parse_datetime(text)


def extract_tweet_embeds(tree, base_url):
    """Read and remove Twitter/X embeds (`blockquote.twitter-tweet`) from `tree`.

    Returns dicts with the fields of `crawler.posts.Post`.
    """
    posts = []
    for quote in tree.xpath(TWEET_EMBED_XPATH):
        status_url = handle = None
        date_text = ""
        for link in quote.xpath(".//a[@href]"):
            match = TWEET_STATUS_RE.match(urljoin(base_url, link.get("href")))
            if match:
                status_url = f"https://twitter.com/{match.group(1)}/status/{match.group(2)}"
                handle = match.group(1)
                date_text = link.text_content()
        paragraphs = quote.xpath("./p")
        text = " ".join(p.text_content().strip() for p in paragraphs)
        name, byline_handle = _embed_byline(paragraphs, quote)
        handle = byline_handle or handle
        if status_url and handle and handle.lower() != "i" and text:
            posts.append({
                "url": status_url, "handle": handle, "name": name or handle,
                "text": text, "published_at": _embed_date(date_text),
                "lang": (paragraphs[0].get("lang") if paragraphs else None), "platform": "Twitter",
            })
        quote.drop_tree()
    return posts


def _embed_byline(paragraphs, quote):
    """(name, handle) from an embed's byline, which follows the post's text:
    "— Name (@handle)". A dash inside the text is not its dash."""
    tail = (paragraphs[-1].tail or "") if paragraphs else quote.text_content()
    byline = EMBED_BYLINE_RE.search(tail + "".join(
        link.text_content() + (link.tail or "") for link in quote.xpath("./a")[:1]))
    return (byline.group("name").strip(), byline.group("handle")) if byline else (None, None)


def extract_bluesky_embeds(tree):
    """Read and remove Bluesky embeds (`blockquote.bluesky-embed`) from `tree`; dicts as
    for tweets, the URL made from the post's at:// URI."""
    posts = []
    for quote in tree.xpath(BLUESKY_EMBED_XPATH):
        match = BLUESKY_URI_RE.match(quote.get("data-bluesky-uri") or "")
        paragraphs = quote.xpath("./p")
        text = " ".join(p.text_content().strip() for p in paragraphs)
        name, handle = _embed_byline(paragraphs, quote)
        links = quote.xpath(".//a[contains(@href, '/post/')]")
        date_text = links[-1].text_content().split(" at ")[0] if links else ""
        if match and text:
            posts.append({
                "url": f"https://bsky.app/profile/{match.group(1)}/post/{match.group(2)}",
                "handle": handle or match.group(1), "name": name or handle or match.group(1),
                "text": text, "published_at": _embed_date(date_text),
                "lang": paragraphs[0].get("lang") if paragraphs else None, "platform": "Bluesky",
            })
        quote.drop_tree()
    return posts


def mastodon_embed_api_urls(tree):
    """The public API URLs of the Mastodon statuses embedded in `tree`."""
    urls = []
    for src in tree.xpath(MASTODON_EMBED_XPATH):
        match = MASTODON_STATUS_RE.match(src.strip())
        if match:
            urls.append(f"{match.group(1)}/api/v1/statuses/{match.group(2)}")
    return urls


def with_lead(tree, text):
    """`text` with the page's lead paragraph first, when the main text left it out."""
    flat_text = " ".join(text.split())
    for paragraph in tree.xpath(LEAD_XPATH):
        lead = " ".join(paragraph.text_content().split())
        if len(lead.split()) >= LEAD_MIN_WORDS and lead[:60] not in flat_text:
            return f"{lead}\n{text}" if text else lead
    return text


def extract_page(html_text, fetched_url, *, feed_date=None, feed_title=None, feed_summary=None,
                 declared_lang=None):
    """Everything claimline keeps of one HTML page, as a dict (see `items.DocumentItem`)."""
    tree = lxml_html.fromstring(html_text)
    url = canonical_url(tree, fetched_url)
    published_at, published_source = find_published(tree, html_text, fetched_url, feed_date)
    html_lang = (tree.xpath(HTML_LANG_XPATH) or [None])[0]
    site_names = tree.xpath(SITE_NAME_XPATH)
    posts = extract_tweet_embeds(tree, fetched_url) + extract_bluesky_embeds(tree)
    mastodon_embeds = mastodon_embed_api_urls(tree)
    # The tree itself, embeds removed: serialising it for trafilatura to parse again cost
    # a third of its time.
    result = trafilatura.bare_extraction(
        tree, url=fetched_url, with_metadata=True, include_comments=False,
        include_tables=False, deduplicate=False)
    meta = result.as_dict() if result is not None else {}
    text = with_lead(tree, (meta.get("text") or "").strip()) or (feed_summary or "").strip()
    return {
        "url": url,
        "fetched_url": fetched_url,
        "title": meta.get("title") or feed_title,
        "author": meta.get("author"),
        "outlet": site_names[0].strip() if site_names else meta.get("sitename"),
        "published_at": published_at,
        "published_at_source": published_source,
        "lang": detect_language(text, declared_lang or html_lang),
        "text": text,
        "embedded_posts": posts,
        "mastodon_embeds": mastodon_embeds,
    }


def read_page(body, content_type, fetched_url, feed_entry, declared_lang):
    """A fetched page's bytes to (its `extract_page` dict, the charset sentence of
    `decode_html` or None): plain data in and out, the job of `crawler.pool`'s workers.

    `feed_entry` is what the page's feed entry said (title, published, summary), or {}.
    """
    html_text, charset_note = decode_html(body, content_type)
    page = extract_page(
        html_text, fetched_url,
        feed_date=parse_datetime(feed_entry.get("published")),
        feed_title=feed_entry.get("title"),
        feed_summary=html_to_text(feed_entry.get("summary") or ""),
        declared_lang=declared_lang)
    return page, charset_note


def html_to_text(fragment):
    """Plain text of an HTML fragment (a feed summary, a post's content): one line per
    paragraph or line break, as in the main text of pages."""
    if not fragment or not fragment.strip():
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for element in root.iter(*TEXT_BREAK_TAGS):
        element.tail = "\n" + (element.tail or "")
    return "\n".join(line.strip() for line in root.text_content().splitlines() if line.strip())

"""Scraped URLs become links only when they are http(s): a hostile page's
`javascript:` canonical URL must never be clickable, on the site or in the feed."""

from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")


def web_url(value):
    """`value` stripped if it is an http(s) URL, else None."""
    if isinstance(value, str) and urlsplit(value.strip()).scheme.lower() in WEB_SCHEMES:
        return value.strip()
    return None


def reconstructed(value):
    """Whether an http(s) URL names a host under `.invalid` (RFC 2606: it can never
    resolve), as the demo's reconstruction of published pages does: such a link is
    marked, and the archived copy comes first."""
    url = web_url(value)
    return bool(url) and (urlsplit(url).hostname or "").endswith(".invalid")

"""The `web_url` template filter: scraped URLs become links only when they are http(s),
so a hostile page's `javascript:` canonical URL is never clickable."""

from urllib.parse import urlsplit

from datasette import hookimpl


def web_url(value):
    if isinstance(value, str) and urlsplit(value.strip()).scheme.lower() in ("http", "https"):
        return value.strip()
    return None


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["web_url"] = web_url

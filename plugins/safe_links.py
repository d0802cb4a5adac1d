"""The `web_url` template filter (claimline.links): templates link scraped URLs only
through it."""

from datasette import hookimpl

from claimline.links import web_url


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["web_url"] = web_url

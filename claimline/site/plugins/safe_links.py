"""The `web_url` and `reconstructed` template filters (claimline.links): templates link
scraped URLs only through `web_url`."""

from datasette import hookimpl

from claimline.links import reconstructed, web_url


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["web_url"] = web_url
    env.filters["reconstructed"] = reconstructed

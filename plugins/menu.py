"""The site's own pages in Datasette's menu, reachable from every table page."""

from datasette import hookimpl


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path("/timeline"), "label": "Timeline"},
            {"href": datasette.urls.path("/search"), "label": "Search statements and documents"}]

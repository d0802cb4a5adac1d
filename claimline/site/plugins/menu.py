"""The site's own pages in Datasette's menu, reachable from every table page."""

from datasette import hookimpl

from claimline.labels import site_labels


@hookimpl
def menu_links(datasette):
    labels = site_labels(datasette)
    return [{"href": datasette.urls.path("/"), "label": labels.home_title},
            {"href": datasette.urls.path("/timeline"), "label": labels.timeline},
            {"href": datasette.urls.path("/search"), "label": labels.search.capitalize()}]

"""`t` in every template: the labels and date writing of claimline.labels, in the
site's language and time zone (`plugins: claimline:` in metadata.yml)."""

from datasette import hookimpl

from claimline.labels import site_labels


@hookimpl
def extra_template_vars(datasette):
    labels = site_labels(datasette)
    return {"t": labels, "site_lang": labels.lang}

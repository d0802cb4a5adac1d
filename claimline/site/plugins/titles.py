"""Documents named for people (claimline.titles): a post's title cell, and the links to a
document from other tables (statements.document_id, documents.parent_id…), which
Datasette labels with `documents.title` and would show as "None" for a post."""

from datasette import hookimpl
from markupsafe import Markup

from claimline.db import TABLES
from claimline.titles import document_title, post_title, read_document

# (table, column) pairs that point at documents, from the schema itself.
DOCUMENT_LINKS = {(table, column) for table, spec in TABLES.items()
                  for column, other, _ in spec.get("foreign_keys", []) if other == "documents"}
LINK = Markup('<a href="{href}">{label}</a>&nbsp;<em>{id}</em>')


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if database != "claimline":
        return None
    db = datasette.get_database(database)
    if table == "documents" and column == "title" and value is None:
        async def title_of_post():
            document = await read_document(db, row["id"])
            if document and document["kind"] == "post":
                return Markup('<span class="derived-title">{}</span>').format(post_title(document))
        return title_of_post
    # An expanded foreign key arrives as {"value", "label"}; a post's label is None.
    if (table, column) in DOCUMENT_LINKS and isinstance(value, dict) and value.get("label") is None:
        async def document_link():
            document = await read_document(db, value["value"])
            label = document_title(document) if document else value["value"]
            return LINK.format(href=datasette.urls.row(database, "documents", value["value"]),
                               label=label, id=value["value"])
        return document_link
    return None


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["document_title"] = document_title

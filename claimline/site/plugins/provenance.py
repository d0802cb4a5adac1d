"""Provenance for the row pages of statements and documents (templates/row-claimline-*.html)."""

from datasette import hookimpl
from datasette.utils import tilde_decode

from claimline.provenance import document_provenance, statement_provenance

PROVENANCE = {"statements": statement_provenance, "documents": document_provenance}


@hookimpl
def extra_template_vars(view_name, database, table, request, datasette):
    if view_name != "row" or database != "claimline" or table not in PROVENANCE:
        return {}

    async def provenance():
        row_id = tilde_decode(request.url_vars["pks"])
        return {"provenance": await PROVENANCE[table](datasette.get_database(database), row_id)}
    return provenance

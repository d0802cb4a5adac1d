"""/archive/DOCUMENT[/VERSION]: the archived copy of a document, as it was captured.

The captured page is served in a sandbox (Content-Security-Policy): no script runs, it
gets an origin of its own, and it loads nothing, from here or elsewhere.
"""

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from claimline.archive import WARC_COLUMNS, CaptureNotFound, read_capture

SANDBOX = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
SHOWN_AS_IS = ("text/html", "text/plain", "application/xhtml+xml")


async def capture_of(db, document_id, version):
    table, where = ("document_versions", "document_id = :id and version = :version") if version \
        else ("documents", "id = :id")
    if not set(WARC_COLUMNS) <= set(await db.table_columns(table)):
        raise NotFound("This database keeps no archived copies")
    row = (await db.execute(f"select warc_file, warc_record_id from {table} where {where}",
                            {"id": document_id, "version": version})).first()
    if not row or not row["warc_record_id"]:
        raise NotFound("No archived copy of this document")
    return row["warc_file"], row["warc_record_id"]


async def archived_copy(datasette, request):
    db = datasette.get_database("claimline")
    warc_file, record_id = await capture_of(db, request.url_vars["document_id"],
                                            request.url_vars.get("version"))
    try:
        content_type, body = read_capture(db.path, warc_file, record_id)
    except CaptureNotFound as error:
        raise NotFound(f"The archived copy is missing: {error}")
    if content_type.split(";")[0].strip().lower() not in SHOWN_AS_IS:
        content_type = "text/plain; charset=utf-8"   # JSON of a post, anything else: as text
    return Response(body, content_type=content_type, headers={
        "Content-Security-Policy": SANDBOX, "X-Content-Type-Options": "nosniff"})


@hookimpl
def register_routes():
    return [(r"^/archive/(?P<document_id>[^/]+)(/(?P<version>\d+))?$", archived_copy)]

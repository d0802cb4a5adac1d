"""/timeline (statements by day, chart, disputes side by side) and /timeline.atom
(the same statements as a feed), filtered by the URL so any view can be shared."""

from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response

from claimline import timeline as tl
from claimline.atom import atom_feed


async def timeline_page(datasette, request):
    db = datasette.get_database("claimline")
    filters = tl.read_filters(request)
    page = tl.read_page(request)
    rows, more = await tl.timeline_rows(db, filters, page)
    disputes = await tl.dispute_groups(db, [r["statement_id"] for r in rows])
    query = urlencode(filters)
    chart = await tl.chart(db, tl.shown_days(filters, rows, paged=more or page > 1))
    return Response.html(await datasette.render_template("timeline.html", {
        "days": tl.by_day(rows), "count": len(rows), "page": page, "more": more,
        "first": (page - 1) * tl.PAGE_LIMIT + 1,
        "filters": filters, "query": query, "choices": await tl.choices(db, chart["ranking"]),
        "disputes": disputes,
        "in_dispute": {r["statement_id"] for group in disputes for side in group for r in side},
        "chart": chart,
    }, request=request))


async def timeline_feed(datasette, request):
    db = datasette.get_database("claimline")
    filters = tl.read_filters(request)
    query = urlencode(filters)
    suffix = f"?{query}" if query else ""
    title = "claimline: new statements" + (
        " (" + ", ".join(f"{k} {v}" for k, v in filters.items()) + ")" if filters else "")
    body = atom_feed(
        await tl.newest_rows(db, filters), title,
        feed_url=datasette.absolute_url(request, f"/timeline.atom{suffix}"),
        page_url=datasette.absolute_url(request, f"/timeline{suffix}"),
        row_url=lambda row: datasette.absolute_url(
            request, datasette.urls.row("claimline", "statements", row["statement_id"])))
    return Response(body, content_type="application/atom+xml; charset=utf-8")


@hookimpl
def register_routes():
    return [(r"^/timeline$", timeline_page), (r"^/timeline\.atom$", timeline_feed)]

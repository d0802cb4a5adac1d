"""The journalist's pages: / (the incidents tracked), /incident/ID (its summary, then its
timeline), /timeline (utterances by day, chart, disputes side by side) and /timeline.atom
(the same utterances as a feed), filtered by the URL so any view can be shared."""

from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from claimline import timeline as tl
from claimline.atom import atom_feed
from claimline.labels import site_labels

HOME_LATEST = 3
# Incidents the home page shows in full (who blamed whom, who denied, the latest
# statements), latest first; the others get a line (dates, counts): each summary costs
# 10 to 50 ms at a million statements, and a page of forty would be read by no one.
HOME_DETAILED = 5


async def home_page(datasette, request):
    db = datasette.get_database("claimline")
    incidents = await tl.incidents(db)
    detailed = [incident for incident in incidents if incident["statement_count"]][:HOME_DETAILED]
    for incident in detailed:
        incident["summary"] = await tl.incident_summary(db, incident["id"])
        incident["latest"] = await tl.latest_utterances(db, incident["id"], HOME_LATEST)
    return Response.html(await datasette.render_template("home.html", {
        "detailed": detailed, "others": [i for i in incidents if i not in detailed]}, request=request))


async def render_timeline(datasette, request, filters, incident=None):
    db = datasette.get_database("claimline")
    labels = site_labels(datasette)
    page = tl.read_page(request)
    rows, more = await tl.timeline_rows(db, filters, page, labels=labels)
    # the disputes of an utterance's other reports are found from its first report
    disputes = await tl.dispute_groups(db, [row["statement_id"] for row in rows])
    chart = await tl.chart(db, tl.shown_days(filters, rows, paged=more or page > 1), labels)
    return Response.html(await datasette.render_template("timeline.html", {
        "days": tl.by_day(rows), "count": len(rows), "page": page, "more": more,
        "first": (page - 1) * tl.PAGE_LIMIT + 1,
        "filters": filters, "query": urlencode(filters),
        "choices": await tl.choices(db, filters, chart),
        "disputes": disputes,
        "in_dispute": {r["statement_id"] for group in disputes for side in group for r in side},
        "chart": chart,
        "incident": incident,
        "summary": await tl.incident_summary(db, incident["id"]) if incident else None,
    }, request=request))


async def timeline_page(datasette, request):
    return await render_timeline(datasette, request, tl.read_filters(request))


async def incident_page(datasette, request):
    incident_id = request.url_vars["incident_id"]
    incident = await tl.incident(datasette.get_database("claimline"), incident_id)
    if incident is None:
        raise NotFound("No such incident")
    return await render_timeline(datasette, request, {**tl.read_filters(request), "incident": incident_id},
                                 incident)


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
    return [(r"^/$", home_page), (r"^/incident/(?P<incident_id>[^/]+)$", incident_page),
            (r"^/timeline$", timeline_page), (r"^/timeline\.atom$", timeline_feed)]

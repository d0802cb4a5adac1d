"""The /timeline page: statements of the `timeline` view grouped by day, filterable by URL."""

from itertools import groupby

from datasette import hookimpl
from datasette.utils.asgi import Response

FILTERS = {
    "incident": "statement_id in (select statement_id from incident_statements where incident_id = :incident)",
    "speaker": "(speaker = :speaker or actor_id = :speaker)",
    "claim": "(',' || replace(claim_types, ' ', '') || ',') like '%,' || :claim || ',%'",
    "since": "said_at >= :since",
    "until": "substr(said_at, 1, 10) <= :until",
}
PAGE_LIMIT = 500


async def timeline(datasette, request):
    db = datasette.get_database("claimline")
    params = {k: request.args.get(k) for k in FILTERS if request.args.get(k)}
    where = " and ".join(FILTERS[k] for k in params) or "1"
    rows = [dict(r) for r in await db.execute(
        f"select * from timeline where {where} order by said_at, published_at limit {PAGE_LIMIT}",
        params)]
    disputes = {}
    for row in await db.execute(
            "select d.statement_id, d.disputed_statement_id, t.speaker, t.statement "
            "from disputes d join timeline t on t.statement_id = d.disputed_statement_id"):
        disputes.setdefault(row["statement_id"], []).append(dict(row))
    incidents = [dict(r) for r in await db.execute("select id, name from incidents order by start")]
    days = [(day, list(items)) for day, items in
            groupby(rows, key=lambda r: (r["said_at"] or "date inconnue")[:10])]
    return Response.html(await datasette.render_template(
        "timeline.html",
        {"days": days, "disputes": disputes, "filters": params, "incidents": incidents,
         "count": len(rows), "limit": PAGE_LIMIT},
        request=request))


@hookimpl
def register_routes():
    return [(r"^/timeline$", timeline)]

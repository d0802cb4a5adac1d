"""/search?q=: one box that searches statements and documents together."""

from datasette import hookimpl
from datasette.utils.asgi import Response

from claimline.search import RANKED_MATCHES, search


async def search_page(datasette, request):
    q = (request.args.get("q") or "").strip()
    hits = await search(datasette.get_database("claimline"), q)
    return Response.html(await datasette.render_template(
        "search.html", {"q": q, "ranked_matches": RANKED_MATCHES, **hits}, request=request))


@hookimpl
def register_routes():
    return [(r"^/search$", search_page)]

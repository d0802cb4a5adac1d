"""The Datasette site on the demo database, through Datasette's test client."""

import asyncio
import csv
import html
import io
import re
import sqlite3
from xml.etree import ElementTree

import feedparser
import pytest
import yaml
from click.testing import CliRunner

from claimline import db as database
from claimline import site as claimline_site
from claimline import timeline
from claimline.archive import WARC_COLUMNS
from claimline.atom import ATOM
from claimline.cli import cli
from claimline.db import TABLES
from claimline.labels import Labels
from claimline.search import fts_query
from claimline.site import build_datasette
from claimline.utterances import group_utterances

from conftest import XSS, copy_db

METADATA = yaml.safe_load(claimline_site.METADATA.read_text(encoding="utf-8"))
QUERIES = METADATA["databases"]["claimline"]["queries"]
# Parameters that select the demo incident's rows in each stored query.
QUERY_PARAMS = {
    "incident_timeline": "incident=cned-avril-2021&since=2021-04-06&until=2021-04-08",
    "who_blamed_whom": "incident=cned-avril-2021",
    "disputes": "incident=",
    "actor_statements": "actor=Michel+Paulin",
    "first_reports": "incident=cned-avril-2021",
    "edited_documents": "",
}
ESCAPED_XSS = "&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture(scope="module")
def site(demo_db):
    return build_datasette(demo_db)


@pytest.fixture(scope="module")
def hostile_site(hostile_db):
    return build_datasette(hostile_db)


def get(site, path):
    return asyncio.run(site.client.get(path))


def rows(site, path):
    response = get(site, path)
    assert response.status_code == 200, response.text
    return response.json()


# -- metadata ------------------------------------------------------------------

def test_every_table_and_column_is_described(demo_db):
    tables = METADATA["databases"]["claimline"]["tables"]
    con = sqlite3.connect(demo_db)
    view_columns = [r[1] for r in con.execute("pragma table_info(timeline)")]
    for table, columns in [*((t, spec["columns"]) for t, spec in TABLES.items()), ("timeline", view_columns)]:
        assert tables[table]["description"], table
        missing = set(columns) - set(tables[table]["columns"])
        assert not missing, f"{table}: no description for {missing}"


def test_chosen_facets_and_no_suggestions(site):
    data = rows(site, "/claimline/timeline.json")
    assert set(data["facet_results"]) == {"speaker_anonymous", "speaker", "organisation", "claim_types",
                                          "outlet", "kind", "said_at"}
    assert data["facet_results"]["said_at"]["type"] == "date"
    assert data["suggested_facets"] == []


def test_title_and_descriptions_shown(site):
    page = get(site, "/claimline/timeline").text
    assert "Every statement with its speaker" in page and "The words said, or reported" in page
    home = get(site, "/").text
    assert "Incidents suivis" in home and '<a href="/incident/cned-avril-2021">' in home
    assert '<a href="/claimline">' in home and "_memory" not in home
    assert '<a href="/timeline">Chronologie</a>' in page and '<a href="/search">Recherche</a>' in page


# -- stored queries ------------------------------------------------------------

def test_every_stored_query_is_tested():
    assert set(QUERY_PARAMS) == set(QUERIES)
    assert all(query.get("description") for query in QUERIES.values())


@pytest.mark.parametrize("name", QUERY_PARAMS)
def test_stored_query_returns_rows_as_json_and_csv(site, name):
    found = rows(site, f"/claimline/{name}.json?_shape=array&{QUERY_PARAMS[name]}")
    assert found, name
    response = get(site, f"/claimline/{name}.csv?{QUERY_PARAMS[name]}")
    assert response.status_code == 200
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert len(table) == len(found) and set(table[0]) == set(found[0])


def test_incident_timeline_keeps_to_its_dates(site):
    found = rows(site, "/claimline/incident_timeline.json?_shape=array&incident=cned-avril-2021"
                       "&since=2021-04-08&until=2021-04-08")
    assert found and {r["said_at"][:10] for r in found} == {"2021-04-08"}


def test_who_blamed_whom_names_the_host(site):
    found = rows(site, "/claimline/who_blamed_whom.json?_shape=array&incident=")
    assert ("Jean-Michel Blanquer", "OVHcloud") in {(r["speaker"], r["target"]) for r in found}


def test_disputes_pair_the_blame_and_the_denial(site):
    found = rows(site, "/claimline/disputes.json?_shape=array&incident=cned-avril-2021")
    assert ("Jean-Michel Blanquer", "Michel Paulin") in {(r["blamer"], r["denier"]) for r in found}


@pytest.fixture(scope="module")
def reprinted_db(demo_db, tmp_path_factory):
    """The demo plus one quote reprinted by three documents of two outlets."""
    path = copy_db(demo_db, tmp_path_factory.mktemp("reprinted") / "reprinted.db")
    db = database.open_db(path)
    db["actors"].insert({"id": "camille-reprise", "name": "Camille Reprise", "type": "person"})
    for url, outlet, published_at, text in [
            ("https://a.example/1", "Outlet A", "2021-04-07T09:00:00+02:00", "« Nous n'avons rien vu venir. »"),
            ("https://b.example/1", "Outlet B", "2021-04-06T18:00:00+02:00", "Nous n'avons rien vu venir"),
            ("https://b.example/2", "Outlet B", "2021-04-08T08:00:00+02:00", "nous n'avons rien vu venir !")]:
        database.save_document(db, {"url": url, "outlet": outlet, "kind": "article",
                                    "published_at": published_at, "text": text})
        document = next(db["documents"].rows_where("url = ?", [url]))
        database.replace_statements(db, document, [{
            "speaker_text": "Camille Reprise", "actor_id": "camille-reprise", "kind": "direct",
            "text": text, "said_at": "2021-04-06", "start_char": 0, "end_char": len(text)}])
    group_utterances(db)
    db.conn.close()
    return path


def test_first_reports_finds_the_outlet_that_carried_a_quote_first(reprinted_db):
    found = rows(build_datasette(reprinted_db), "/claimline/first_reports.json?_shape=array&incident=")
    reprinted = [r for r in found if r["speaker"] == "Camille Reprise"]
    assert len(reprinted) == 1
    assert {k: reprinted[0][k] for k in ("first_outlet", "first_url", "documents", "outlets")} == {
        "first_outlet": "Outlet B", "first_url": "https://b.example/1", "documents": 3, "outlets": 2}
    total = sqlite3.connect(reprinted_db).execute("select count(*) from timeline").fetchone()[0]
    assert sum(r["documents"] for r in found) == total


def test_edited_documents_show_the_change(site):
    found = rows(site, "/claimline/edited_documents.json?_shape=array")
    edit = next(r for r in found if r["url"].endswith("retour-normale-cned"))
    assert edit["version"] == 2 and edit["title_before"] != edit["title_after"]
    assert edit["characters_after"] > edit["characters_before"]


# -- full-text search ----------------------------------------------------------

def test_fts_query_is_prefix_per_word_and_never_fts_syntax():
    assert fts_query("cyberattaque OVH") == '"cyberattaque"* "OVH"*'
    assert fts_query("l'hébergeur") == '"l" "hébergeur"*'
    assert fts_query('" OR * NEAR(') == '"OR" "NEAR"*'
    assert fts_query("  ") == ""


def test_table_search_folds_accents(hostile_site):
    found = rows(hostile_site, "/claimline/statements.json?_search=defaillance&_shape=array")
    assert [r["text"] for r in found] == [f"La défaillance du service. {XSS}"]
    assert rows(hostile_site, "/claimline/documents.json?_search=defaillance&_shape=array")
    # Plurals on a table page need FTS syntax (docs/site.md); /search adds it itself.
    assert rows(hostile_site, "/claimline/statements.json?_search=cyberattaque*&_searchmode=raw&_shape=array")


def test_search_box_finds_plurals_and_accents_in_both_tables(hostile_site, hostile_db):
    plurals = sqlite3.connect(hostile_db).execute(
        "select count(*) from statements where text like '%cyberattaques%'").fetchone()[0]
    page = get(hostile_site, "/search?q=cyberattaque").text
    assert plurals and f"Statements ({plurals})" in page and "<mark>cyberattaques</mark>" in page
    page = get(hostile_site, "/search?q=defaillance").text
    assert "Statements (1)" in page and "Documents (1)" in page and "<mark>défaillance</mark>" in page
    assert get(hostile_site, '/search?q=%22*(%20NEAR').status_code == 200


# -- the timeline page ---------------------------------------------------------

def statements_on(page):
    return page.count('<article class="tl-item')


def test_timeline_tells_the_story(site):
    page = get(site, "/timeline?incident=cned-avril-2021").text
    assert "Jean-Michel Blanquer" in page and "Michel Paulin" in page
    assert "accusation → OVHcloud" in page and "discours rapporté" in page
    assert "directeur général d&#39;OVHcloud, OVHcloud" in page
    assert "<svg" in page and "Propos par tranche de trois heures" in page


def test_disputes_side_by_side(site):
    page = get(site, "/timeline").text
    dispute = page.split('<div class="tl-dispute">')[1].split('<h2 class="tl-day">')[0]
    said, denied = dispute.split('<div class="tl-dispute-side denial">')
    assert "Jean-Michel Blanquer" in said and "Michel Paulin" in denied


def test_filters_change_the_timeline(site):
    everything = statements_on(get(site, "/timeline").text)
    paulin = get(site, "/timeline?speaker=Michel+Paulin").text
    assert 0 < statements_on(paulin) < everything
    assert paulin.count('class="tl-speaker">Michel Paulin<') >= statements_on(paulin)
    denials = get(site, "/timeline?claim=denial").text
    assert 0 < statements_on(denials) <= denials.count("claim-denial")
    one_day = get(site, "/timeline?since=2021-04-08&until=2021-04-08").text
    assert '<time datetime="2021-04-08">jeudi 8 avril 2021</time></h2>' in one_day
    # no day of its own for 6 April (a report of that day may be folded under an utterance)
    assert '<time datetime="2021-04-06">mardi 6 avril 2021</time></h2>' not in one_day
    assert statements_on(get(site, "/timeline?incident=no-such-incident").text) == 0


def test_anonymous_speakers_are_marked_and_grouped_apart(site, monkeypatch):
    anonymous = get(site, "/timeline?voices=anonymous").text
    assert 0 < statements_on(anonymous) == anonymous.count('<article class="tl-item kind-') \
        == anonymous.count(' anonymous" id="s-')
    assert '<span class="tl-badge anonymous">anonyme</span>' in anonymous
    named = get(site, "/timeline?voices=named").text
    assert statements_on(named) > 0 and ' anonymous" id="s-' not in named
    # the form offers the speakers of the days shown, with their utterances: here, every anonymous one
    assert ('<option value="un professeur d&#39;histoire" label="un professeur d&#39;histoire (anonyme, 1 propos)">'
            in anonymous)
    page = get(site, "/timeline").text
    assert '<option value="anonymous">sources anonymes ou génériques</option>' in page
    assert '<label>Type <select name="claim">' in page and '<input type="submit" value="Filtrer">' in page
    monkeypatch.setattr(timeline, "CHART_SPEAKERS", 100)   # every speaker drawn
    chart = asyncio.run(timeline.chart(site.get_database("claimline"), {}, Labels()))
    kinds = [speaker in chart["anonymous"] for speaker in chart["speakers"]]
    assert any(kinds) and kinds == sorted(kinds), "named speakers first in the chart"


def offered_speakers(page):
    """The speaker filter's options: (speaker, label) in the form's order."""
    datalist = re.search(r'<datalist id="tl-speakers">(.*?)</datalist>', page, re.S).group(1)
    return [(html.unescape(value), html.unescape(label))
            for value, label in re.findall(r'<option value="([^"]*)" label="([^"]*)">', datalist)]


def incident_speakers(db_path, incident_id, claim_type=None):
    """(speaker, anonymous, utterances) of the incident's statements (and claim type), from SQLite."""
    with sqlite3.connect(db_path) as con:
        return con.execute(
            """select coalesce(a.name, s.speaker_text), coalesce(a.anonymous, 0), count(*)
            from incident_statements x join statements s on s.id = x.statement_id
            left join actors a on a.id = s.actor_id
            where x.incident_id = ? and s.utterance_id = s.id
              and (? is null or s.id in (select statement_id from claims where claim_type = ?))
            group by 1""", [incident_id, claim_type, claim_type]).fetchall()


@pytest.mark.parametrize("path, claim_type, first_page", [
    ("/incident/cned-avril-2021", None, True),
    ("/timeline?incident=cned-avril-2021&speaker=CNED", None, False),   # a speaker chosen: the others offered
    ("/timeline?incident=cned-avril-2021&claim=denial", "denial", False),
])
def test_the_speaker_filter_offers_the_whole_selection_with_counts(site, demo_db, path, claim_type, first_page):
    page = get(site, path).text
    shown_days = set(re.findall(r'<h2 class="tl-day"><time datetime="([^"]+)">', page))
    expected = incident_speakers(demo_db, "cned-avril-2021", claim_type)
    by_count = sorted(expected, key=lambda s: (s[1], -s[2], s[0]))   # named first, most frequent first
    assert offered_speakers(page) == [
        (speaker, f"{speaker} ({'anonyme, ' if anonymous else ''}{n} propos)") for speaker, anonymous, n in by_count]
    if first_page:
        # the first page shows 6 April only; the speakers of the 7th and 8th are offered too
        assert shown_days == {"2021-04-06"} and any(anonymous for _, anonymous, _ in expected)
        with sqlite3.connect(demo_db) as con:
            later = {r[0] for r in con.execute(
                """select coalesce(a.name, s.speaker_text) from incident_statements x
                join statements s on s.id = x.statement_id left join actors a on a.id = s.actor_id
                where x.incident_id = 'cned-avril-2021' and s.utterance_id = s.id
                group by 1 having min(s.said_at) >= '2021-04-07'""")}
        assert later and later <= {speaker for speaker, _ in offered_speakers(page)}


@pytest.mark.parametrize("days", [{}, {"since": "2021-04-07", "until": "2021-04-08"}])
def test_an_incidents_counts_give_the_chart_and_speakers_its_statements_give(site, monkeypatch, days):
    db = site.get_database("claimline")
    filters = {"incident": "cned-avril-2021", **days}
    assert timeline.counted_with_links(filters)

    def shown():
        chart = asyncio.run(timeline.chart(db, filters, Labels()))
        return chart, asyncio.run(timeline.speaker_choices(db, filters, chart))
    from_counts = shown()
    monkeypatch.setattr(timeline, "counted_with_links", lambda filters: False)
    assert shown() == from_counts and from_counts[0]["cells"]


def test_timeline_pages_follow_each_other(site):
    db = site.get_database("claimline")
    whole, more_than_all = asyncio.run(timeline.timeline_rows(db, {}, limit=1000))
    first, more_than_first = asyncio.run(timeline.timeline_rows(db, {}, page=1, limit=10))
    second, _ = asyncio.run(timeline.timeline_rows(db, {}, page=2, limit=10))
    assert not more_than_all and more_than_first
    assert [r["statement_id"] for r in first + second] == [r["statement_id"] for r in whole[:20]]
    assert get(site, "/timeline?page=abc").status_code == 200
    assert statements_on(get(site, "/timeline?page=99999").text) == 0


def test_a_big_incident_is_walked_in_time_but_shows_the_same(site, monkeypatch):
    db = site.get_database("claimline")
    filters = {"incident": "cned-avril-2021", "claim": "blame"}

    def shown():
        rows, _ = asyncio.run(timeline.timeline_rows(db, filters, limit=5))
        summary = asyncio.run(timeline.incident_summary(db, filters["incident"]))
        latest = asyncio.run(timeline.latest_utterances(db, filters["incident"], 3))
        chart = asyncio.run(timeline.chart(db, filters, Labels()))
        return ([r["statement_id"] for r in rows], summary["first"]["statement_id"],
                [r["statement_id"] for r in latest], chart)
    read_whole = shown()
    assert asyncio.run(timeline.keys_scope(db, filters))[0] == timeline.INCIDENT_KEYS_SQL
    monkeypatch.setattr(timeline, "INCIDENT_WALK_FROM", 1)
    assert "said_at between" in asyncio.run(timeline.keys_scope(db, filters))[1]
    assert shown() == read_whole and len(read_whole[0]) == 5
    latest = asyncio.run(timeline.latest_utterances(db, filters["incident"], 3))
    assert [r["said_at"] for r in latest] == sorted((r["said_at"] for r in latest), reverse=True)


def test_no_archived_copy_in_a_database_made_before_archiving(demo_db, tmp_path):
    copy = copy_db(demo_db, tmp_path / "before-archiving.db")
    with sqlite3.connect(copy) as con:
        for table in ("documents", "document_versions"):
            for column in set(WARC_COLUMNS) & {r[1] for r in con.execute(f"pragma table_info({table})")}:
                con.execute(f"alter table {table} drop column {column}")
    site = build_datasette(copy)
    assert "copie archivée" not in get(site, "/timeline").text
    assert get(site, "/archive/a6b641b2c5251174").status_code == 404


def hostile_document(hostile_db):
    return sqlite3.connect(hostile_db).execute(
        "select id from documents where url = 'javascript:alert(2)'").fetchone()[0]


def test_archived_copy_is_linked_and_served_in_a_sandbox(hostile_site, hostile_db):
    document_id = hostile_document(hostile_db)
    timeline = get(hostile_site, "/timeline?speaker=%3Cscript%3Ealert(3)%3C/script%3E").text   # 50 a page
    assert f'<a href="/archive/{document_id}" class="tl-archived">copie archivée</a>' in timeline
    page = get(hostile_site, f"/claimline/documents/{document_id}").text
    assert f'<a href="/archive/{document_id}">as captured</a>' in page
    assert f'<a href="/archive/{document_id}/1">archived copy</a>' in page
    for path in (f"/archive/{document_id}", f"/archive/{document_id}/1"):
        response = get(hostile_site, path)
        assert response.status_code == 200 and "<p>La défaillance du service.</p>" in response.text
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["content-security-policy"].startswith("sandbox;")
        assert "default-src 'none'" in response.headers["content-security-policy"]
    assert get(hostile_site, f"/archive/{document_id}/9").status_code == 404
    assert get(hostile_site, "/archive/nope").status_code == 404


def test_missing_archive_file_is_a_404(hostile_db, tmp_path):
    copy = copy_db(hostile_db, tmp_path / "no-archive.db")
    response = get(build_datasette(copy), f"/archive/{hostile_document(copy)}")
    assert response.status_code == 404 and "no such archive file" in response.text


# -- the feed ------------------------------------------------------------------

def test_atom_feed_per_speaker(site):
    response = get(site, "/timeline.atom?speaker=Michel+Paulin")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.version == "atom10"
    assert feed.entries and {e.author for e in feed.entries} == {"Michel Paulin"}
    assert all(e.id.startswith("http://localhost/claimline/statements/") for e in feed.entries)
    assert feed.feed.links[0].href == "http://localhost/timeline.atom?speaker=Michel+Paulin"
    root = ElementTree.fromstring(response.content)
    for entry in root.iter(f"{{{ATOM}}}entry"):
        assert [len(entry.findall(f"{{{ATOM}}}{tag}")) for tag in ("id", "title", "updated", "author")] == [1] * 4


# -- row pages -----------------------------------------------------------------

def test_statement_page_shows_provenance(site):
    paulin = rows(site, "/claimline/actor_statements.json?_shape=array&actor=Michel+Paulin")
    tweet = next(r for r in paulin if r["outlet"] == "Twitter")
    page = get(site, f"/claimline/statements/{tweet['statement_id']}").text
    assert "Provenance" in page and "Denies" in page and "Jean-Michel Blanquer" in page
    assert "Embedded in" in page and "Fetched" in page and "through the source" in page


def test_document_page_shows_versions_and_changes(site):
    edit = rows(site, "/claimline/edited_documents.json?_shape=array")[0]
    page = get(site, f"/claimline/documents/{edit['document_id']}").text
    assert "version 1, fetched" in page and "version 2, fetched" in page
    assert '<ins class="diff-ins">' in page and '<del class="diff-del">' in page


# -- readable tables -------------------------------------------------------------

@pytest.fixture(scope="module")
def posts_site(tmp_path_factory):
    """A database of one article, a post embedded in it and a post on its own (both
    without a title, as posts are), each with a statement; markup in the account."""
    path = str(tmp_path_factory.mktemp("posts") / "posts.db")
    db = database.open_db(path)
    article = {"url": "https://news.example/panne", "source_id": "news", "kind": "article", "outlet": "News",
               "title": "La panne", "published_at": "2021-04-06", "text": "Un article. " * 100}
    embedded = {"url": "https://social.example/@ovh/1", "source_id": "news", "kind": "post", "outlet": "Social",
                "author": "OVH <b>(@ovh)</b>", "published_at": "2021-04-06",
                "text": "Nous ne sommes pas « l'hébergeur » en cause, contrairement à ce qui a été dit ce matin."}
    alone = {**embedded, "url": "https://social.example/@ovh/2", "text": "« Tout va bien."}
    for document in (article, embedded, alone):
        database.save_document(db, document)
    ids = {r["url"]: r["id"] for r in db["documents"].rows}
    db["documents"].update(ids[embedded["url"]], {"parent_id": ids[article["url"]]})
    for document_id in ids.values():
        document = db["documents"].get(document_id)
        database.replace_statements(db, document, [{
            "actor_id": None, "speaker_text": "OVH", "kind": "post", "text": document["text"][:40],
            "said_at": "2021-04-06", "said_at_precision": "day", "start_char": 0, "end_char": 40,
            "confidence": 1.0, "claims": []}])
    db.conn.close()
    return build_datasette(path), ids


def test_posts_are_titled_by_account_and_first_words(posts_site):
    site, ids = posts_site
    embedded, alone = ids["https://social.example/@ovh/1"], ids["https://social.example/@ovh/2"]
    title = "OVH &lt;b&gt;(@ovh)&lt;/b&gt; — Nous ne sommes pas « l&#39;hébergeur » en cause, contrairement…"
    documents = get(site, "/claimline/documents").text
    assert f'<span class="derived-title">{title}</span>' in documents
    assert "OVH &lt;b&gt;(@ovh)&lt;/b&gt; — « Tout va bien.</span>" in documents   # short: whole, no …
    statements = get(site, "/claimline/statements").text
    assert f'<a href="/claimline/documents/{embedded}">{title}</a>' in statements
    assert ">None<" not in statements and ">None<" not in documents
    assert "<b>(@ovh)" not in statements + documents
    # the row pages and their provenance name the post the same way
    post_page = get(site, f"/claimline/documents/{embedded}").text
    assert title in post_page and "Embedded in" in post_page and ">La panne</a>" in post_page
    assert ">None<" not in get(site, f"/claimline/documents/{alone}").text
    assert ">None<" not in get(site, f"/claimline/document_versions?document_id={alone}").text


def test_table_lists_fold_descriptions_and_truncate_long_text(posts_site):
    site, ids = posts_site
    article = ids["https://news.example/panne"]
    listing = get(site, "/claimline/documents").text
    assert '<details class="column-glossary"><summary>Description des colonnes</summary>' in listing
    assert "Un article. " * 13 + "Un a…" in listing and "Un article. " * 20 not in listing
    row_page = get(site, f"/claimline/documents/{article}").text
    assert ("Un article. " * 99 + "Un article.") in row_page


# -- safety --------------------------------------------------------------------

def test_scraped_markup_is_shown_as_text_everywhere(hostile_site, hostile_db):
    statement_id, document_id = sqlite3.connect(hostile_db).execute(
        "select id, document_id from statements where speaker_text like '<script>%'").fetchone()
    pages = ["/timeline", "/timeline?claim=blame", "/search?q=defaillance",
             "/claimline/statements?_search=defaillance", f"/claimline/timeline?statement_id={statement_id}",
             f"/claimline/statements/{statement_id}",
             f"/claimline/documents/{document_id}", "/claimline/who_blamed_whom?incident=",
             "/claimline/first_reports?incident="]
    for path in pages:
        page = get(hostile_site, path).text
        assert ESCAPED_XSS in page, path
        assert "<img src=x" not in page and "<script>alert(3)" not in page, path
        assert 'href="javascript:' not in page, path


def test_feed_escapes_scraped_markup(hostile_site):
    body = get(hostile_site, "/timeline.atom").content
    assert b"<img src=x" not in body and ESCAPED_XSS.encode() in body
    entry = next(e for e in feedparser.parse(body).entries if "défaillance" in e.title)
    assert XSS in entry.content[0].value and entry.content[0].type == "text/plain"
    assert b'href="javascript:' not in body


def test_sql_is_read_only(site, demo_db):
    before = sqlite3.connect(demo_db).execute("select count(*) from statements").fetchone()
    for sql in ("delete from statements", "update statements set text = 'x'",
                "pragma journal_mode = delete"):
        response = get(site, f"/claimline.json?sql={sql}")
        assert response.status_code == 400, sql
    assert sqlite3.connect(demo_db).execute("select count(*) from statements").fetchone() == before


def test_slow_sql_is_stopped(site):
    response = get(site, "/claimline.json?sql=with+recursive+r(i)+as+(select+1+union+all+select+i%2B1+from+r)"
                         "+select+count(*)+from+r")
    assert response.status_code == 400 and "took too long" in response.text


def test_pages_load_while_a_refresh_writes(hostile_db):
    site = build_datasette(hostile_db)
    writer = sqlite3.connect(hostile_db)
    assert writer.execute("pragma journal_mode").fetchone() == ("wal",)
    writer.execute("begin immediate")
    writer.execute("update documents set last_seen_at = '2030-01-01'")
    try:
        for path in ("/timeline", "/claimline/statements.json", "/search?q=ovh"):
            assert get(site, path).status_code == 200, path
    finally:
        writer.rollback()
        writer.close()


# -- serve -----------------------------------------------------------------------

def test_serve_uses_the_project_site_whatever_the_file_name(demo_db, tmp_path, monkeypatch):
    db_file = tmp_path / "any name.sqlite"
    copy_db(demo_db, db_file)
    served = {}
    monkeypatch.setattr(claimline_site.uvicorn, "run",
                        lambda app, host, port, **kw: served.update(app=app, host=host, port=port))
    result = CliRunner().invoke(cli, ["serve", "--db", str(db_file), "--host", "0.0.0.0", "--port", "9123"])
    assert result.exit_code == 0, result.output
    assert (served["host"], served["port"]) == ("0.0.0.0", 9123)
    assert "http://0.0.0.0:9123/timeline" in result.output
    site = build_datasette(db_file)
    assert get(site, "/timeline").status_code == 200
    assert get(site, "/claimline/first_reports.json?incident=").status_code == 200


def test_serve_refuses_a_missing_database(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code != 0 and "no such database" in result.output
    assert "Traceback" not in result.output


def test_serve_refuses_an_unknown_site_language(demo_db, tmp_path, monkeypatch):
    metadata = tmp_path / "metadata.yml"
    metadata.write_text(yaml.safe_dump({**METADATA, "plugins": {"claimline": {"lang": "de"}}}), encoding="utf-8")
    monkeypatch.setattr(claimline_site, "METADATA", metadata)
    result = CliRunner().invoke(cli, ["serve", "--db", demo_db])
    assert result.exit_code != 0 and "site language 'de': not one of en, fr" in result.output
    assert "Traceback" not in result.output

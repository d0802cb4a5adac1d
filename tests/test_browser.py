"""The site in a real browser: Playwright driving Debian's chromium (.ci/run installs it)."""

import asyncio
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from claimline.site import build_datasette

from conftest import HOSTILE_INCIDENT, XSS

CHROMIUM = Path("/usr/bin/chromium")
# Offline and quiet: no GPU, no QUIC, no background calls home.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent / "artifacts"

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(hostile_db):
    """The site on the hostile copy of the demo database, served on 127.0.0.1."""
    datasette = build_datasette(hostile_db)
    server = uvicorn.Server(uvicorn.Config(datasette.app(), host="127.0.0.1", port=free_port(),
                                           log_level="warning"))

    async def serve():
        await datasette.invoke_startup()
        await server.serve()
    # Its own thread and event loop: Playwright's sync API runs a loop in this one.
    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the site did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(5)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A page that records dialogs (what an executed `alert` would open) and what it
    loaded (`requested`: responses received; a request the CSP blocks gets none)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.dialogs, page.requested = [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("response", lambda response: page.requested.append(response.url))
    yield page
    context.close()


def test_timeline_renders_the_demo_incident(page, base_url):
    page.goto(f"{base_url}/timeline?incident=cned-avril-2021")
    assert page.locator("h2.tl-day").first.inner_text() == "mardi 6 avril 2021"
    speakers = set(page.locator("article.tl-item .tl-speaker").all_inner_texts())
    assert {"Jean-Michel Blanquer", "Michel Paulin", "CNED"} <= speakers
    assert page.locator(".tl-dispute").first.is_visible()
    assert page.locator(".tl-chart svg rect").count() > 10
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "timeline.png"))
    assert all(url.startswith(base_url) for url in page.requested), "the page fetched from elsewhere"


def test_filter_form_changes_the_timeline(page, base_url):
    page.goto(f"{base_url}/timeline")
    everything = page.locator("article.tl-item").count()
    page.fill("input[name=speaker]", "Michel Paulin")
    page.select_option("select[name=claim]", "denial")
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert "speaker=Michel+Paulin" in page.url and "claim=denial" in page.url
    shown = page.locator("article.tl-item")
    assert 0 < shown.count() < everything
    assert set(page.locator("article.tl-item .tl-speaker").all_inner_texts()) == {"Michel Paulin"}
    page.reload()
    assert page.locator("article.tl-item").count() == shown.count(), "the filtered URL is shareable"


def test_chart_cell_filters_to_a_speaker_and_day(page, base_url):
    page.goto(f"{base_url}/timeline")
    with page.expect_navigation():
        page.locator(".tl-chart svg a").first.click()
    assert "since=" in page.url and "until=" in page.url and page.locator("h2.tl-day").count() == 1


def test_archived_copy_runs_no_script(page, base_url):
    page.goto(f"{base_url}/timeline?speaker=%3Cscript%3Ealert(3)%3C/script%3E")
    page.requested.clear()
    with page.expect_navigation():
        page.get_by_role("link", name="copie archivée").first.click()
    assert "/archive/" in page.url and page.get_by_text("La défaillance du service.").is_visible()
    assert page.dialogs == [] and page.locator("img").count() == 1
    assert page.evaluate("document.querySelector('img').complete && document.querySelector('img').naturalWidth") == 0
    assert page.requested == [page.url], "the capture loaded something"


@pytest.mark.parametrize("path", ["/timeline", "/incident/cned-avril-2021", "/", "/search?q=defaillance",
                                  "/claimline/statements?_search=defaillance",
                                  "/claimline/who_blamed_whom?incident="])
def test_scraped_markup_does_not_execute(page, base_url, path):
    page.goto(base_url + path)
    page.wait_for_load_state("load")
    assert page.get_by_text("<img src=x onerror=alert(1)>", exact=False).count() >= 1
    assert page.locator("img[src=x]").count() == 0
    assert page.dialogs == []


@pytest.mark.parametrize("path, shot", [("/", "home-hostile.png"), (f"/incident/{HOSTILE_INCIDENT}", "incident-hostile.png")])
def test_hostile_statement_speaker_and_incident_name_shown_as_text(page, base_url, path, shot):
    page.goto(base_url + path)
    page.wait_for_load_state("load")
    name = f"Incident <script>alert(5)</script> {XSS}"
    heading = page.locator("h2 a" if path == "/" else "h1", has_text=name)
    assert heading.count() == 1 and heading.inner_text() == name
    hostile = page.locator(".tl-short, article.tl-item", has_text="<script>alert(3)</script>").first
    assert hostile.locator(".tl-speaker").first.inner_text() == "<script>alert(3)</script>"
    assert f"La défaillance du service. {XSS}" in hostile.locator("blockquote").first.inner_text()
    # shown as text, not parsed: no element, no script run, nothing fetched from elsewhere
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("script", has_text="alert(").count() == 0
    assert page.dialogs == []
    assert all(url.startswith(base_url) for url in page.requested)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / shot), full_page=True)


def test_table_pages_are_readable(page, base_url):
    page.goto(base_url + "/claimline/documents")
    assert page.locator("dl.column-descriptions").count() == 1, "Datasette's own list of descriptions"
    assert not page.locator("dl.column-descriptions").is_visible()
    glossary = page.locator("details.column-glossary")
    assert glossary.is_visible() and not glossary.locator("dl").is_visible()
    # whole articles are cut in the list: no row taller than a third of the screen
    heights = page.locator("table.rows-and-columns tbody tr").evaluate_all(
        "rows => rows.map(row => row.getBoundingClientRect().height)")
    assert len(heights) > 10 and max(heights) < 330, max(heights)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "documents.png"))
    glossary.locator("summary").click()
    assert glossary.locator("dt", has_text="parent_id").is_visible()
    page.goto(base_url + "/claimline/statements?kind=post")
    cells = page.locator("td.col-document_id a").all_inner_texts()
    assert cells and "None" not in cells and all(" — " in cell for cell in cells)


def test_home_lists_the_incidents(page, base_url):
    page.goto(base_url + "/")
    assert page.locator("h1").inner_text() == "Incidents suivis"
    assert page.get_by_role("link", name="Panne de « Ma classe à la maison » et des ENT").is_visible()
    assert page.get_by_text("_memory").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("link", name="toutes les tables et requêtes (SQL, CSV, JSON)").click()
    assert page.url.endswith("/claimline")


def test_incident_page_summary_and_grouped_utterances(page, base_url):
    page.goto(base_url + "/incident/cned-avril-2021")
    summary = page.locator(".tl-summary-block")
    assert "Qui a accusé qui" in summary.inner_text() and "Qui a démenti" in summary.inner_text()
    assert "Jean-Michel Blanquer accuse OVHcloud" in summary.inner_text()
    # the minister's blame once, its two other reports folded under it
    # (by its words: the ministry's own sentences around it hold the quote in their context)
    words = page.locator("blockquote", has_text="Les difficultés rencontrées ce matin viennent de l'hébergeur")
    blame = page.locator("article.tl-item", has=words)
    assert blame.count() == 1
    assert "rapporté par 3 médias, d'abord par Ministère de l'Éducation nationale" in blame.inner_text()
    folded = blame.locator("details.tl-folded li")
    assert folded.count() == 2 and not folded.first.is_visible()
    blame.locator("details.tl-folded summary").click()
    assert folded.first.is_visible()
    # French dates for people, ISO in the attribute, a time of day
    assert page.locator('h2.tl-day time[datetime="2021-04-06"]').inner_text() == "mardi 6 avril 2021"
    assert "mardi 6 avril 2021, dans la matinée" in blame.inner_text()
    assert page.get_by_text("publié à 11 h 45").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "incident.png"), full_page=True)


def test_context_opener_shows_the_sentence(page, base_url):
    page.goto(base_url + "/timeline?speaker=OVHcloud")
    short = page.locator("article.tl-item", has_text="héberger les services en panne")
    assert short.locator(".tl-sentence").is_visible()    # a short indirect statement: its sentence shown
    context = short.locator("details.tl-context")
    assert not context.locator("p").is_visible()
    context.locator("summary").click()
    assert context.locator("p mark").inner_text() == "héberger les services en panne"
    ARTIFACTS.mkdir(exist_ok=True)
    short.screenshot(path=str(ARTIFACTS / "context.png"))

"""The Datasette site: the database always served as `claimline`, with the metadata.yml,
templates, plugins and static files (at /assets/) shipped in this package, whatever the
database file is called. docs/site.md describes the pages."""

import asyncio
from importlib import resources
from pathlib import Path

import uvicorn
import yaml
from datasette.app import Datasette
from datasette.database import Database

from claimline import ClaimlineError
from claimline.labels import site_labels

# Installed from a wheel the package is a folder, so these are paths Datasette can read.
SITE = resources.files(__name__)
METADATA = SITE / "metadata.yml"
TEMPLATES = SITE / "templates"
PLUGINS = SITE / "plugins"
STATIC = SITE / "static"
SETTINGS = {
    "sql_time_limit_ms": 2000,
    "suggest_facets": False,     # measured: ~0.4 s of every table page on 200k rows
    "default_page_size": 50,
    "allow_download": True,
    "truncate_cells_html": 160,  # long texts cut in table lists; the row page shows them whole
}


def build_datasette(db_path):
    if not Path(db_path).exists():
        raise ClaimlineError(f"{db_path}: no such database (run 'claimline refresh' or 'claimline demo')")
    metadata = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    ds = Datasette(metadata=metadata, template_dir=str(TEMPLATES), plugins_dir=str(PLUGINS),
                   static_mounts=[("assets", str(STATIC))], settings=SETTINGS)
    ds.add_database(Database(ds, path=str(db_path), is_mutable=True), name="claimline")
    site_labels(ds)   # a wrong language or time zone in metadata.yml stops here, not on a page
    return ds


def serve(db_path, host="127.0.0.1", port=8001, on_ready=None):
    ds = build_datasette(db_path)
    asyncio.run(ds.invoke_startup())
    if on_ready:
        on_ready(f"http://{host}:{port}")
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")

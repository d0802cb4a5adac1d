"""The wheel holds everything the program reads at run time, under the product's name only;
and the crawler builds on claimline's core, never the reverse."""

import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
# Folders of the checkout that hold package data, and where they land in the wheel.
DATA_FOLDERS = {
    "nlp/lexicons": "claimline/nlp/lexicons",
    "nlp/weights": "claimline/nlp/weights",
    "claimline/lang": "claimline/lang",
    "claimline/starter": "claimline/starter",
    "claimline/demo": "claimline/demo",
    "claimline/site/templates": "claimline/site/templates",
    "claimline/site/plugins": "claimline/site/plugins",
    "claimline/site/static": "claimline/site/static",
}
DATA_FILES = ["claimline/anonymous_speakers.yml", "claimline/press_releases.yml", "claimline/site/metadata.yml"]
NOT_SHIPPED = {".venv", ".git", "build", "data", "tests", "benchmarks", "archive"}


def sources_only(folder, names):
    """copytree's ignore: a build in a copy, so no stale build/ of the checkout slips in."""
    if Path(folder) == ROOT:
        return [n for n in names if n in NOT_SHIPPED or n.endswith(".egg-info") or n.startswith("demo.db")]
    return [n for n in names if n == "__pycache__"]


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    shutil.copytree(ROOT, tmp / "src", ignore=sources_only)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp / "dist"),
                    str(tmp / "src")], check=True, capture_output=True)
    (wheel,) = (tmp / "dist").glob("claimline-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_ships_every_data_file(wheel_files):
    expected = list(DATA_FILES)
    for folder, installed in DATA_FOLDERS.items():
        files = [path for path in (ROOT / folder).rglob("*") if path.is_file() and "__pycache__" not in path.parts]
        assert files, f"{folder} is empty"
        expected += [f"{installed}/{path.relative_to(ROOT / folder).as_posix()}" for path in files]
    missing = [name for name in expected if name not in wheel_files]
    assert not missing, f"not in the wheel: {missing}"


def test_the_wheel_installs_under_the_products_name_only(wheel_files):
    tops = {name.split("/")[0] for name in wheel_files}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"claimline"}
    assert "claimline/crawler/spiders/sources.py" in wheel_files
    assert "claimline/nlp/pipeline.py" in wheel_files


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_claimline_does_not_import_the_crawler_except_the_command_line():
    """crawler/ writes through claimline.db and validates with claimline.kinds; claimline's
    modules run the crawl as a subprocess. Only the CLI, on top of both, reads archives
    with the crawler's importers."""
    importers = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "claimline").rglob("*.py")
                       if any(m.startswith("claimline.crawler") for m in imported_modules(path)))
    assert importers == ["claimline/cli.py"]

import importlib.util
import re
from pathlib import Path

from claimline.db import TABLES

ROOT = Path(__file__).parent.parent


def test_every_column_is_documented():
    schema = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## (\w+).*?\n(.*?)(?=^## |\Z)", schema, re.M | re.S))
    for table, spec in TABLES.items():
        assert table in sections, f"docs/schema.md has no section for {table}"
        for column in spec["columns"]:
            assert f"| {column} |" in sections[table], f"{table}.{column} is not documented"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(.*?)\n```", readme)
    assert len(commands) == 2 and "claimline demo" in commands[0]
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_no_benchmark_shadows_a_library_and_each_is_documented():
    """`python benchmarks/x.py` puts benchmarks/ first on sys.path: a script named like an
    installed module would replace it (incremental.py broke Twisted's import)."""
    readme = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    for script in (ROOT / "benchmarks").glob("*.py"):
        assert importlib.util.find_spec(script.stem) is None, f"{script.name} shadows a module"
        assert f"## {script.name} " in readme, f"{script.name} is not in benchmarks/README.md"

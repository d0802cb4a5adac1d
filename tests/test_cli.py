import pytest
from click.testing import CliRunner

from claimline import db as database
from claimline.cli import cli
from claimline.config import load_incidents, load_sources


def run(*args):
    return CliRunner().invoke(cli, list(args))


def assert_one_line_error(result, *words):
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("command", ["crawl", "refresh"])
def test_missing_sources_file(command, tmp_path):
    result = run(command, "--sources", str(tmp_path / "nope.yml"), "--db", str(tmp_path / "x.db"))
    assert_one_line_error(result, "nope.yml", "no such file")


def test_sources_are_looked_for_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_one_line_error(run("refresh"), "sources.yml: no such file", "claimline init DIR")


def test_init_writes_commented_starter_files_and_keeps_the_users(tmp_path):
    folder = tmp_path / "tracker"
    result = run("init", str(folder))
    assert result.exit_code == 0, result.output
    for name in ("sources.yml", "actors.yml", "incidents.yml"):
        assert (folder / name).read_text(encoding="utf-8").startswith("#"), f"{name} has no comment"
    assert load_sources(folder / "sources.yml") and load_incidents(folder / "incidents.yml")
    (folder / "sources.yml").write_text("sources: []\n", encoding="utf-8")
    result = run("init", str(folder))
    assert "kept" in result.output and (folder / "sources.yml").read_text() == "sources: []\n"


def test_the_demo_refuses_a_database_with_other_documents(db_path, fresh_db):
    database.save_document(fresh_db, {"url": "https://example.org/mine", "source_id": "my-feed",
                                      "kind": "article", "title": "Mine", "text": "My own page."})
    assert_one_line_error(run("demo", "--no-serve", "--db", db_path), "1 document(s)", "not the demo's")
    assert database.open_db(db_path)["documents"].count == 1


def test_the_demo_refuses_a_file_that_is_not_a_claimline_database(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("my notes", encoding="utf-8")
    assert_one_line_error(run("demo", "--no-serve", "--db", str(notes)), "not a claimline database")
    assert notes.read_text(encoding="utf-8") == "my notes"


@pytest.mark.parametrize("sources, words", [
    ("sources:\n  - id: a\n    kind: feed\n   url: [oops\n", ["invalid YAML"]),
    ("sources:\n  - id: a\n    kind: gopher\n    url: http://example.org/\n",
     ["unknown kind 'gopher'", "feed"]),
    ("sources:\n  - id: a\n    kind: html\n    url: http://example.org/\n", ["needs links"]),
    ("sources:\n  - id: a\n    kind: feed\n    url: http://example.org/\n    allow_private: yes please\n",
     ["allow_private must be true, false or a list of hosts"]),
    ("sources:\n  - id: a\n    kind: feed\n    url: www.lemonde.fr/rss/une.xml\n",
     ["'www.lemonde.fr/rss/une.xml' is not an http:// or https:// URL"]),
], ids=["invalid-yaml", "unknown-kind", "missing-option", "allow-private", "url-without-scheme"])
def test_bad_sources_file(sources, words, tmp_path):
    bad = tmp_path / "sources.yml"
    bad.write_text(sources)
    assert_one_line_error(run("crawl", "--sources", str(bad), "--db", str(tmp_path / "x.db")), *words)


@pytest.mark.parametrize("command", ["analyze", "serve", "status"])
def test_missing_database(command, tmp_path):
    assert_one_line_error(run(command, "--db", str(tmp_path / "missing.db")), "missing.db")


def test_eval_missing_gold_or_database(tmp_path):
    assert_one_line_error(run("eval", str(tmp_path / "gold.jsonl"), "--db", str(tmp_path / "x.db")),
                          "gold.jsonl", "no such file")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("")
    assert_one_line_error(run("eval", str(gold), "--db", str(tmp_path / "missing.db")), "missing.db")


@pytest.mark.parametrize("command", ["demo", "init", "crawl", "analyze", "refresh", "serve", "status",
                                     "eval", "import", "schedule", "vacuum"])
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output

import pytest
from click.testing import CliRunner

from claimline.cli import cli


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


@pytest.mark.parametrize("command", ["demo", "crawl", "analyze", "refresh", "serve", "status", "eval",
                                     "import", "schedule", "vacuum"])
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output

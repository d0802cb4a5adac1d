"""The evaluator's matching rules, on hand-made timeline rows in a real SQLite file."""

import json

import pytest
from click.testing import CliRunner

from claimline import db as database
from claimline.cli import cli
from claimline.evaluate import evaluate, load_gold

BASE = "http://127.0.0.1:8000"


def add_document(db, page, url=None, parent_id=None):
    fetched = f"{BASE}/{page}" if page else None
    url = url or fetched
    db["documents"].insert({"id": database.document_id(url), "url": url, "fetched_url": fetched,
                            "kind": "post" if parent_id else "article", "parent_id": parent_id})
    return database.document_id(url)


def add_statement(db, document_id, speaker, text, said_at="2023-03-13", claim_types=()):
    statement_id = database.short_hash(document_id, text)
    db["statements"].insert({"id": statement_id, "document_id": document_id,
                             "speaker_text": speaker, "text": text, "said_at": said_at,
                             "kind": "direct"})
    for claim_type in claim_types:
        db["claims"].insert({"id": database.short_hash(statement_id, claim_type),
                             "statement_id": statement_id, "claim_type": claim_type})


def gold(page, speaker, text, said_on="2023-03-13", claim="other", optional=False):
    return {"page": page, "speaker": speaker, "aliases": [speaker.lower()], "kind": "direct",
            "text": text, "said_on": said_on, "claim": claim, "target": None, "optional": optional}


QUOTE = "Nous faisons face à une attaque massive et organisée contre la plateforme"


def test_right_words_speaker_day_and_claim(fresh_db):
    add_statement(fresh_db, add_document(fresh_db, "a.html"), "Laurent Ferrandi", QUOTE,
                  "2023-03-14T10:00:00+01:00", ["cyberattack"])
    scores = evaluate(fresh_db, [gold("a.html", "Ferrandi", QUOTE, "2023-03-14", "cyberattack")])
    assert scores["statements"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert (scores["speaker_accuracy"], scores["date_accuracy"], scores["claim_accuracy"]) == (1.0, 1.0, 1.0)
    assert scores["misses"] == []


def test_wrong_speaker_counts_for_quotes_not_statements(fresh_db):
    add_statement(fresh_db, add_document(fresh_db, "a.html"), "Thomas Renaud", QUOTE)
    scores = evaluate(fresh_db, [gold("a.html", "Ferrandi", QUOTE)])
    assert scores["quotes_30"]["f1"] == 1.0
    assert scores["statements"]["f1"] == 0.0 and scores["speaker_accuracy"] == 0.0
    assert scores["misses"] == [f"speaker 'Thomas Renaud' instead of a.html: Ferrandi: {QUOTE[:60]}"]


def test_partial_quote_matches_at_30_but_not_80_percent(fresh_db):
    add_statement(fresh_db, add_document(fresh_db, "a.html"), "Ferrandi", "une attaque massive et organisée")
    scores = evaluate(fresh_db, [gold("a.html", "Ferrandi", QUOTE)])
    assert scores["quotes_30"]["recall"] == 1.0 and scores["quotes_80"]["recall"] == 0.0


def test_below_30_percent_is_a_miss_and_a_false_positive(fresh_db):
    add_statement(fresh_db, add_document(fresh_db, "a.html"), "Ferrandi", "une attaque venue d'ailleurs")
    scores = evaluate(fresh_db, [gold("a.html", "Ferrandi", QUOTE)])
    assert (scores["gold"], scores["system"]) == (1, 1)
    assert scores["quotes_30"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert scores["misses"] == [f"missed a.html: Ferrandi: {QUOTE[:60]}",
                                "extra a.html: Ferrandi: une attaque venue d'ailleurs"]


def test_matching_is_one_to_one(fresh_db):
    add_statement(fresh_db, add_document(fresh_db, "a.html"), "Ferrandi", QUOTE)
    scores = evaluate(fresh_db, [gold("a.html", "Ferrandi", QUOTE), gold("a.html", "Ferrandi", QUOTE)])
    assert scores["quotes_30"] == {"precision": 1.0, "recall": 0.5, "f1": 0.667}


def test_optional_gold_is_neither_rewarded_nor_punished(fresh_db):
    document = add_document(fresh_db, "a.html")
    add_statement(fresh_db, document, "Ferrandi", QUOTE)
    add_statement(fresh_db, document, "la Région", "La Région accuse l'éditeur de la plateforme")
    scores = evaluate(fresh_db, [gold("a.html", "Ferrandi", QUOTE),
                                 gold("a.html", "Région", "La Région accuse l'éditeur", optional=True)])
    assert (scores["gold"], scores["system"]) == (1, 1)
    assert scores["statements"]["f1"] == 1.0


def test_rows_map_to_pages_by_url_and_parent(fresh_db):
    # canonical URL without the file name: the fetched URL names the page
    article = add_document(fresh_db, "a.html", url="https://news.example/2023/03/a-story")
    post = add_document(fresh_db, None, url="https://twitter.com/x/status/1", parent_id=article)
    add_statement(fresh_db, post, "Numeriscol (@Numeriscol)", "Classéo rencontre un incident technique")
    # a Mastodon post: its own URL is the page
    add_statement(fresh_db, add_document(fresh_db, None, url=f"{BASE}/toot.html"), "SUD", "Assez de bricolage")
    # canonical URL ending with the page's name, no fetched URL
    add_statement(fresh_db, add_document(fresh_db, None, url="https://news.example/b"), "FCPE", "Les familles pénalisées")
    add_statement(fresh_db, add_document(fresh_db, "elsewhere.html"), "X", "Les familles pénalisées")
    scores = evaluate(fresh_db, [gold("a.html", "Numeriscol", "Classéo rencontre un incident technique"),
                                 gold("toot.html", "SUD", "Assez de bricolage"),
                                 gold("b.html", "FCPE", "Les familles pénalisées")])
    assert (scores["system"], scores["statements"]["f1"]) == (3, 1.0)


def test_date_is_compared_on_the_day(fresh_db):
    document = add_document(fresh_db, "a.html")
    add_statement(fresh_db, document, "Ferrandi", QUOTE, "2023-03-13T23:30:00+01:00")
    add_statement(fresh_db, document, "Vasseur", "Nos infrastructures ont fonctionné normalement", None)
    scores = evaluate(fresh_db, [gold("a.html", "Ferrandi", QUOTE, "2023-03-13"),
                                 gold("a.html", "Vasseur", "Nos infrastructures ont fonctionné normalement", "2023-03-14")])
    assert scores["date_accuracy"] == 0.5
    assert scores["misses"] == ["date '' instead of 2023-03-14 for a.html: Vasseur: "
                                "Nos infrastructures ont fonctionné normalement"]


def test_claim_types_contain_the_gold_claim_and_no_claim_is_other(fresh_db):
    document = add_document(fresh_db, "a.html")
    add_statement(fresh_db, document, "Ferrandi", QUOTE, claim_types=["blame", "cyberattack"])
    add_statement(fresh_db, document, "Castagné", "Notre priorité est que chaque élève puisse travailler")
    add_statement(fresh_db, document, "Vasseur", "Nos infrastructures ont fonctionné normalement", claim_types=["figures"])
    scores = evaluate(fresh_db, [
        gold("a.html", "Ferrandi", QUOTE, claim="cyberattack"),
        gold("a.html", "Castagné", "Notre priorité est que chaque élève puisse travailler", claim="other"),
        gold("a.html", "Vasseur", "Nos infrastructures ont fonctionné normalement", claim="denial")])
    assert scores["claim_accuracy"] == 0.667


def test_load_gold_names_the_bad_line(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold("a.html", "X", "y")) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(Exception, match="line 2 is not JSON"):
        load_gold([path])


def test_eval_command_prints_scores_and_misses(fresh_db, db_path, tmp_path):
    add_statement(fresh_db, add_document(fresh_db, "a.html"), "Thomas Renaud", QUOTE)
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold("a.html", "Ferrandi", QUOTE)) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(path), "--db", db_path, "--misses"])
    assert result.exit_code == 0, result.output
    assert "speaker 'Thomas Renaud' instead of" in result.output
    assert "speaker accuracy    0.000" in result.output
    result = CliRunner().invoke(cli, ["eval", str(path), "--db", db_path, "--json"])
    assert json.loads(result.output)["quotes_30"]["f1"] == 1.0

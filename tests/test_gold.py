"""The project's gold set (tests/gold/): the pipeline must keep its scores.

Floors are issue 4's goal, 0.90 for all three; the pipeline scores a little above
(statement F1 0.914, speaker 0.970, date 0.939 when the floors were set).
"""

import html
import json
import re
from pathlib import Path

import pytest

from claimline import db as database
from claimline.evaluate import build_gold_db, evaluate, load_gold, tokens

STATEMENT_F1_FLOOR = 0.90
SPEAKER_ACCURACY_FLOOR = 0.90
DATE_ACCURACY_FLOOR = 0.90

GOLD_DIR = Path(__file__).parent / "gold"
GOLD = load_gold([GOLD_DIR / "gold.jsonl"])
KINDS = {"direct", "indirect", "post"}
CLAIMS = {"blame", "denial", "cyberattack", "outage_report", "restoration", "criticism",
          "complaint_filed", "investigation", "reassurance", "demand", "figures", "other"}


def page_text(page):
    markup = (GOLD_DIR / "site" / page).read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


@pytest.mark.parametrize("record", GOLD, ids=lambda g: f"{g['page']}:{g['text'][:30]}")
def test_gold_statement_is_in_its_page(record):
    assert record["kind"] in KINDS and record["claim"] in CLAIMS
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["said_on"] or "")
    assert all(alias == alias.lower() for alias in record["aliases"])
    assert tokens(record["text"]) <= tokens(page_text(record["page"]))


@pytest.mark.parametrize("page", sorted(p.name for p in (GOLD_DIR / "site").glob("*.html")))
def test_gold_page_has_what_real_pages_have(page):
    markup = (GOLD_DIR / "site" / page).read_text(encoding="utf-8")
    assert re.search(r'<link rel="canonical" href="https://', markup)
    assert re.search(r"<title>[^<]+</title>", markup) and '<meta name="author"' in markup
    assert re.search(r'property="article:published_time"|"datePublished"', markup)


def test_gold_set_size():
    assert sum(not g.get("optional") for g in GOLD) >= 40
    assert len({g["page"] for g in GOLD}) >= 10


@pytest.fixture(scope="module")
def gold_scores(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("gold") / "gold.db")
    build_gold_db(GOLD_DIR, path)
    scores = evaluate(database.open_db(path), GOLD)
    print(json.dumps({k: v for k, v in scores.items() if k != "misses"}))
    return scores


def test_statement_f1(gold_scores):
    assert gold_scores["statements"]["f1"] >= STATEMENT_F1_FLOOR, gold_scores["misses"]


def test_speaker_accuracy(gold_scores):
    assert gold_scores["speaker_accuracy"] >= SPEAKER_ACCURACY_FLOOR, gold_scores["misses"]


def test_date_accuracy(gold_scores):
    assert gold_scores["date_accuracy"] >= DATE_ACCURACY_FLOOR, gold_scores["misses"]

"""The benchmark's naive baseline: quoted spans, nearest entity, publication date."""

import importlib.util
from pathlib import Path

import pytest
import spacy

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "bench_quote_baseline.py"
spec = importlib.util.spec_from_file_location("quote_baseline", SCRIPT)
quote_baseline = importlib.util.module_from_spec(spec)
spec.loader.exec_module(quote_baseline)
quote_spans = quote_baseline.quote_spans


def test_quote_spans_of_every_kind_of_quotation_mark():
    text = 'Il dit « un fiasco ». She said “never again”. Et "ça suffit".'
    assert [text[s:e] for s, e in quote_spans(text)] == ["un fiasco", "never again", "ça suffit"]




@pytest.fixture(scope="module")
def nlp():
    return spacy.load(quote_baseline.MODEL)


def test_speaker_is_the_nearest_entity_outside_the_quote(nlp):
    doc = nlp("« Numeriscol cherche un coupable ailleurs », assure Nathalie Vasseur à Tours.")
    [statement] = quote_baseline.baseline_statements(doc, "2023-03-14T19:05:00+01:00")
    assert statement["text"] == "Numeriscol cherche un coupable ailleurs"
    assert statement["speaker_text"] == "Nathalie Vasseur"
    assert (statement["kind"], statement["said_at"]) == ("direct", "2023-03-14T19:05:00+01:00")

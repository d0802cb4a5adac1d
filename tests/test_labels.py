"""The site's words (claimline/lang/*.yml) and dates written for people."""

import pytest

from claimline import ClaimlineError
from claimline.labels import LANGS, Labels, load_words


def shape(value):
    """The keys of a mapping, recursively, and the length of a list: what every language must share."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    return len(value) if isinstance(value, list) else type(value)


def test_every_language_has_the_same_words():
    assert set(LANGS) == {"fr", "en"}
    french = shape(load_words("fr"))
    assert french["days"] == 7 and french["months"] == 12
    for lang in LANGS:
        assert shape(load_words(lang)) == french, lang


def test_dates_in_each_language():
    row = {"said_at": "2021-04-06T08:12:00+00:00", "said_at_precision": "datetime"}
    assert Labels("fr").when(row) == "mardi 6 avril 2021, 10 h 12"
    assert Labels("en").when(row) == "Tuesday 6 April 2021, 10:12"
    assert Labels("fr").day("2021-04-01") == "jeudi 1er avril 2021"
    assert Labels("fr").claim("denial") == "démenti" and Labels("en").kind("indirect") == "reported speech"


@pytest.mark.parametrize("lang, timezone, message", [
    ("de", "Europe/Paris", "site language 'de': not one of en, fr"),
    ("fr", "Europe/Lutece", "site time zone 'Europe/Lutece': no such zone")])
def test_unknown_language_or_zone_is_a_clear_error(lang, timezone, message):
    with pytest.raises(ClaimlineError, match=message):
        Labels(lang, timezone)


def test_no_word_is_hidden_by_a_method():
    # `t.claim` in a template is Labels.claim, never the word "claim" of the YAML
    hidden = set(load_words("fr")) & {name for name in dir(Labels("fr")) if not name.startswith("_")}
    assert hidden == set()

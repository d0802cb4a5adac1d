"""The cue lexicons: every entry a non-empty string, so none is silently lost."""

import pytest

from claimline.nlp.lexicon import LEXICON_DIR, LexiconError, read_lexicon


@pytest.mark.parametrize("name", ["fr.yml", "en.yml"])
def test_shipped_lexicons_load(name):
    lexicon = read_lexicon(LEXICON_DIR / name)
    assert lexicon.reporting_verbs and lexicon.claim_cues["denial"]
    assert all(cue for cues in lexicon.claim_cues.values() for cue in cues)


@pytest.mark.parametrize("entry", ["false", "no", "null", "''", "12"])
def test_an_entry_yaml_reads_as_no_string_is_rejected(tmp_path, entry):
    path = tmp_path / "xx.yml"
    path.write_text(f"claim_cues:\n  denial: [not true, {entry}, untrue]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"xx.yml: claim_cues.denial: entry .* is not a non-empty string"):
        read_lexicon(path)


def test_a_quoted_entry_is_kept(tmp_path):
    path = tmp_path / "xx.yml"
    path.write_text('claim_cues:\n  denial: [not true, "false"]\n', encoding="utf-8")
    assert read_lexicon(path).claim_cues["denial"] == ["not true", "false"]

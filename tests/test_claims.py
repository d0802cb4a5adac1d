"""Claim types (claimline_claims) of statements in our own French and English sentences."""

import pytest

from claimline.nlp.pipeline import analyze_texts

PUBLISHED = "2024-03-12T10:00:00+01:00"


def claim_types(lang, text):
    [(doc, _)] = list(analyze_texts(lang, [(text, {"published_at": PUBLISHED})]))
    [statement] = doc._.statements
    return [c["claim_type"] for c in statement.claims]


@pytest.mark.parametrize("lang, text, expected", [
    ("fr", "« Les inscriptions en ligne sont suspendues jusqu'à lundi », a indiqué la rectrice Anne Morel.",
     "outage_report"),
    ("fr", "« Le portail a repris son fonctionnement ce matin », a précisé la directrice Claire Dumas.",
     "restoration"),
    ("fr", "Le procureur Paul Renard a indiqué que deux suspects avaient été placés en détention.",
     "investigation"),
    ("fr", "« Comment peut-on laisser des données aussi sensibles sans protection ? », s'indigne Marc Petit.",
     "criticism"),
    ("fr", "La syndicaliste Julie Roux a dénoncé le silence de la direction.", "criticism"),
    ("fr", "La rectrice Anne Morel a annoncé la suspension de la messagerie des collèges.", "outage_report"),
    ("fr", "Le procureur Paul Renard a précisé que ces infractions avaient été commises en bande organisée.",
     "investigation"),
    ("en", 'Northwind Telecom apologised on Monday. "Our systems are back up and running," the company '
           'said in a statement.', "restoration"),
    ("en", '"A faulty update caused the disruption," said chief executive Tom Baker.', "blame"),
])
def test_generic_vocabulary_types_the_statement(lang, text, expected):
    assert expected in claim_types(lang, text)


def test_a_cue_matches_at_the_start_of_a_word_only():
    # "démen" (démenti, dément) must not be read inside "rapidement".
    assert "denial" not in claim_types(
        "fr", "« Il faut avancer rapidement sur la sécurité des comptes », a déclaré Anne Morel.")
    assert "denial" in claim_types("fr", "« C'est un démenti formel », a déclaré Anne Morel.")

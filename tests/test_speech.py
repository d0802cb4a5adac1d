"""The statement components on hard French sentences."""

import pytest

from nlp.pipeline import analyze_texts

PUBLISHED = "2021-04-07T10:00:00+02:00"


def statements(text, published_at=PUBLISHED, **context):
    [(doc, _)] = list(analyze_texts("fr", [(text, {"published_at": published_at, **context})]))
    return doc._.statements


def only(text, **context):
    found = statements(text, **context)
    assert len(found) == 1, [(s.text, s.speaker_text) for s in found]
    return found[0]


def test_incise_after_quote_with_named_speaker():
    s = only("« Nous avons subi des attaques venues de l'étranger », a déclaré Jean-Michel Blanquer.")
    assert (s.kind, s.speaker_text) == ("direct", "Jean-Michel Blanquer")
    assert s.text == "Nous avons subi des attaques venues de l'étranger"
    assert s.claims[0]["claim_type"] == "cyberattack"


def test_split_quote_gives_two_statements_of_one_speaker():
    found = statements("Michel Paulin, le PDG d'OVHcloud, a réagi dans la soirée. « Nous ne sommes pas "
                       "responsables de ces pannes », a-t-il ajouté, « et l'incendie n'a aucun lien "
                       "avec elles ».")
    assert [s.speaker_text for s in found] == ["Michel Paulin", "Michel Paulin"]
    assert all(s.claims[0]["claim_type"] == "denial" for s in found)


def test_inverted_subject():
    s = only("« Le site a été la cible de plusieurs dizaines d'attaques », précise le CNED.")
    assert s.speaker_text == "le CNED"


def test_pronoun_resolved_by_gender():
    found = statements("La porte-parole du syndicat, Sophie Vénétitay, a été interrogée mardi. "
                       "Le ministre Jean-Michel Blanquer n'a pas répondu. "
                       "« C'est un fiasco complet pour les élèves », juge-t-elle.")
    assert [(s.speaker_text, s.claims[0]["claim_type"]) for s in found] == [("Sophie Vénétitay", "criticism")]


def test_reported_speech_with_que_clause():
    s = only("Le ministre de l'Éducation nationale Jean-Michel Blanquer a affirmé que les pannes "
             "venaient de l'hébergeur OVH.")
    assert s.kind == "indirect"
    assert s.text == "les pannes venaient de l'hébergeur OVH"
    assert s.claims[0]["claim_type"] == "blame"


def test_selon_clause():
    s = only("Selon le CNED, la plateforme fonctionne de nouveau normalement depuis jeudi.")
    assert (s.kind, s.speaker_text) == ("indirect", "le CNED")
    assert s.claims[0]["claim_type"] == "restoration"


def test_quoted_title_is_not_a_statement():
    assert statements("La plateforme « Ma classe à la maison » était inaccessible mardi.") == []


def test_short_quote_attached_to_a_verb_is_a_statement():
    s = only("Le CNED a annoncé mardi soir « déposer plainte ».")
    assert (s.text, s.speaker_text) == ("déposer plainte", "Le CNED")


@pytest.mark.parametrize("words, day, precision", [
    ("ce mardi 6 avril", "2021-04-06", "day"),
    ("hier soir", "2021-04-06", "part_of_day"),
    ("mardi matin", "2021-04-06", "part_of_day"),
    ("le 6 avril", "2021-04-06", "day"),
])
def test_said_at_from_the_text_anchored_on_publication(words, day, precision):
    s = only(f"« La situation sera rétablie dans la journée », a assuré {words} Jean-Michel Blanquer.")
    assert (s.said_at, s.said_at_precision, s.said_at_text.lower()) == (day, precision, words)


def test_said_at_falls_back_to_publication_and_says_so():
    s = only("« La situation sera rétablie », a assuré Jean-Michel Blanquer.")
    assert (s.said_at, s.said_at_precision) == ("2021-04-07", "published")


def test_press_release_speaks_for_its_owner():
    found = statements("Le CNED a été la cible d'attaques informatiques répétées depuis mardi.\n"
                       "Une plainte a été déposée auprès du parquet de Paris.",
                       document_kind="press_release", owner="CNED")
    assert [s.speaker_text for s in found] == ["CNED", "CNED"]


def test_post_is_one_statement_of_its_account():
    s = only("Notre site est injoignable suite à un incident chez notre hébergeur.",
             published_at="2021-03-10T08:12:00+01:00", document_kind="post",
             owner="data.gouv.fr (@datagouvfr)")
    assert (s.kind, s.speaker_text, s.said_at) == ("post", "data.gouv.fr (@datagouvfr)",
                                                   "2021-03-10T08:12:00+01:00")


def test_english_without_a_model_uses_the_rules():
    [(doc, _)] = list(analyze_texts("en", [(
        '"OVHcloud does not host these platforms," said Michel Paulin on Tuesday.\n'
        '"The fire has nothing to do with it," Paulin added.', {"published_at": PUBLISHED})]))
    found = [(s.speaker_text, s.said_at) for s in doc._.statements]
    assert found == [("Michel Paulin", "2021-04-06"), ("Paulin", "2021-04-06")]
    assert doc._.statements[1].claims[0]["claim_type"] == "denial"

"""From speakers as written to actors: aliases, merging, and names that must stay apart."""

from claimline.nlp.actors import ActorResolver

CURATED = [
    {"id": "snes-fsu", "name": "SNES-FSU", "type": "organisation", "role": None,
     "organisation_id": None, "alias_norm": "snes-fsu"},
    {"id": "jean-michel-blanquer", "name": "Jean-Michel Blanquer", "type": "person",
     "role": "ministre de l'Éducation nationale", "organisation_id": None,
     "alias_norm": "jean-michel blanquer"},
]


def test_a_known_name_inside_a_speaker_phrase():
    resolver = ActorResolver(CURATED)
    assert resolver.resolve("le syndicat Snes-FSU") == "snes-fsu"
    assert resolver.resolve("Jean-Michel Blanquer, ministre de l'Éducation") == "jean-michel-blanquer"


def test_a_longer_name_is_another_actor():
    resolver = ActorResolver(CURATED)
    assert resolver.resolve("SNES-FSU Normandie") == "snes-fsu-normandie"


def test_surname_acronym_title_and_handle_become_aliases():
    resolver = ActorResolver([])
    texier = resolver.resolve("Marion Texier", "présidente de la FCPE de la Sarthe")
    assert resolver.resolve("Texier") == texier
    assert resolver.resolve("la présidente de la FCPE de la Sarthe") == texier
    cned = resolver.resolve("Centre national d'enseignement à distance (CNED)")
    assert resolver.resolve("le CNED") == cned
    assert resolver.actors[cned]["name"] == "Centre national d'enseignement à distance"
    # an organisation's own account is the organisation, and its handle one more alias
    assert resolver.resolve("CNED officiel (@cned.bsky.social)") == cned
    assert resolver.resolve("@cned.bsky.social") == cned
    assert ("@cned.bsky.social", "@cned.bsky.social", "handle") in resolver.new[cned][1]


def test_organisations_named_like_people_stay_apart():
    resolver = ActorResolver([])
    york = resolver.resolve("York Regional Police")
    assert resolver.actors[york]["type"] == "organisation"
    assert resolver.resolve("Peel Regional Police (@PeelPolice)") != york
    assert resolver.resolve("Marion Texier") == resolver.resolve("Texier")


def test_a_bare_title_is_nobody():
    assert ActorResolver([]).resolve("le ministre") is None

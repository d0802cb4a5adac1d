"""The speaker ranker: its candidates, their features, its training and `claimline train`."""

import json

import pytest
from click.testing import CliRunner

from claimline.cli import cli
from claimline.nlp.pipeline import analyze_texts, load_pipeline
from claimline.nlp.speakers import SpeakerRanker, WEIGHTS, is_named, load_weights
from claimline.train import accuracy, fit

PUBLISHED = "2024-03-12T09:00:00+01:00"
INTERVIEW = ("Le ministre de l'Intérieur Paul Durand s'est rendu sur place lundi. "
             "« La situation est sous contrôle », a déclaré Paul Durand à l'AFP.")


def analysed(text, **context):
    [(doc, _)] = list(analyze_texts("fr", [(text, {"published_at": PUBLISHED, **context})]))
    return doc


def candidates_by_text(statement):
    return {c.text: c.features for c in statement.candidates}


@pytest.fixture
def recording():
    """The pipeline's ranker lists candidates without weights, as training has it do."""
    ranker = load_pipeline("fr").get_pipe("claimline_speakers")
    ranker.record = True
    yield
    ranker.record = False


def test_without_weights_the_ranker_does_nothing():
    [statement] = analysed(INTERVIEW)._.statements
    assert statement.speaker_text == "Paul Durand" and statement.candidates == []


def test_candidates_describe_the_rule_choice_and_the_addressee(recording):
    [statement] = analysed(INTERVIEW)._.statements
    found = candidates_by_text(statement)
    assert statement.speaker_text == "Paul Durand"
    assert found["Paul Durand"]["rule"] == 1.0 and found["Paul Durand"]["person"] == 1.0
    assert found["AFP"]["after_addressee"] == 1.0 and found["AFP"]["rule"] == 0.0
    # "a déclaré Paul Durand": next to the reporting verb; the AFP is not its subject
    assert found["Paul Durand"]["reporting_before"] == 1.0 and found["AFP"]["reporting_subject"] == 0.0


def test_the_pages_own_outlet_and_known_outlets_are_marked(recording):
    doc = analysed("« Les trains repartiront demain », a indiqué la SNCF sur Radio Ouest.",
                   site=["Radio Ouest", "radio-ouest.fr"], outlets=["Le Courrier du Soir"])
    found = candidates_by_text(doc._.statements[0])
    assert found["Radio Ouest"]["site"] == 1.0
    assert not found["Radio Ouest"]["rule"]
    assert is_named("radioouest", ["radio-ouest.fr"]) and not is_named("SNCF", ["Le Courrier du Soir"])


def test_weights_decide_between_the_candidates():
    doc = analysed(INTERVIEW)
    # weights that prefer organisations to everything else, the rule included
    SpeakerRanker("fr", {"organisation": 5.0, "rule": 1.0})(doc)
    assert doc._.statements[0].speaker_text == "AFP"
    doc = analysed(INTERVIEW)
    SpeakerRanker("fr", {"organisation": 1.0, "after_addressee": -5.0})(doc)
    assert doc._.statements[0].speaker_text == "Paul Durand"


def test_shipped_weights_are_a_trained_model():
    weights = load_weights(WEIGHTS)
    shipped = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert shipped["examples"] > 100 and len(shipped["trained_on"]) >= 6
    # what the corpus taught, in the direction grammar expects
    assert weights["rule"] > 0 > weights["after_addressee"]


def test_fit_learns_which_feature_marks_the_speaker():
    examples = [([{"subject": 1.0, "near": 1.0}, {"near": 1.0, "addressee": 1.0}], [True, False]),
                ([{"addressee": 1.0}, {"subject": 1.0}], [False, True]),
                ([{"near": 1.0}, {"subject": 1.0}, {"addressee": 1.0, "near": 1.0}], [False, True, False])]
    weights = fit(examples)
    assert weights["subject"] > 0 > weights["addressee"]
    assert accuracy(examples, weights) == 1.0


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Revue de presse</title><link>http://127.0.0.1:PORT/</link>
<description>Pages d'essai</description>
{items}
</channel></rss>
"""
ITEM = """<item><title>{title}</title><link>http://127.0.0.1:PORT/{page}</link>
<pubDate>Tue, 12 Mar 2024 09:00:00 +0100</pubDate><guid isPermaLink="false">{page}</guid></item>"""
PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="Le Courrier du Soir"></head><body><article><h1>{title}</h1>
<p>Publié le 12 mars 2024</p>{paragraphs}</article></body></html>"""


def write_incident(folder, pages):
    """An incident folder as `claimline train` reads it: site/ with feed.xml, and gold.jsonl."""
    site = folder / "site"
    site.mkdir(parents=True)
    items, gold = [], []
    for name, title, paragraphs, statements in pages:
        (site / name).write_text(PAGE.format(title=title, paragraphs="".join(f"<p>{p}</p>" for p in paragraphs)),
                                 encoding="utf-8")
        items.append(ITEM.format(title=title, page=name))
        gold += [{"page": name, "speaker": speaker, "aliases": [speaker.lower()], "kind": "direct",
                  "text": text, "said_on": "2024-03-12", "optional": False} for speaker, text in statements]
    (site / "feed.xml").write_text(FEED.format(items="\n".join(items)), encoding="utf-8")
    (folder / "gold.jsonl").write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold) + "\n",
                                       encoding="utf-8")


def test_train_command_writes_weights_from_an_incident_corpus(tmp_path):
    write_incident(tmp_path / "corpus" / "train" / "panne-eau", [
        ("mairie-coupure.html", "Coupure d'eau à Vernon", [
            "La distribution d'eau a été interrompue mardi dans le centre-ville de Vernon.",
            "« Les équipes travaillent sans relâche depuis cette nuit », a déclaré la maire "
            "Claire Roussel à France Bleu.",
            "« Nous espérons un retour à la normale dans la soirée », a ajouté Claire Roussel.",
        ], [("Claire Roussel", "Les équipes travaillent sans relâche depuis cette nuit"),
            ("Claire Roussel", "Nous espérons un retour à la normale dans la soirée")]),
    ])
    write_incident(tmp_path / "corpus" / "train" / "panne-train", [
        ("ligne-coupee.html", "Trafic interrompu sur la ligne Caen-Rouen", [
            "Le trafic ferroviaire est interrompu depuis lundi entre Caen et Rouen.",
            "« Un câble a été arraché près de la gare », a expliqué le porte-parole Marc Vidal "
            "au Courrier du Soir.",
        ], [("Marc Vidal", "Un câble a été arraché près de la gare")]),
    ])
    out = tmp_path / "speakers.json"
    result = CliRunner().invoke(cli, ["train", str(tmp_path / "corpus"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    trained = json.loads(out.read_text(encoding="utf-8"))
    assert trained["trained_on"] == ["panne-eau", "panne-train"]
    assert trained["examples"] >= 2 and trained["weights"]["rule"] > 0
    assert "trained on" in result.output


def test_train_command_says_when_there_is_no_incident(tmp_path):
    result = CliRunner().invoke(cli, ["train", str(tmp_path)])
    assert result.exit_code != 0
    assert "no incident folder with a gold.jsonl" in result.output

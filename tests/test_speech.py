"""The statement components on hard French sentences."""

import pytest

from claimline.nlp.pipeline import analyze_texts

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
    found = statements("Paul Maréchal, le PDG de Datacime, a réagi dans la soirée. « Nous ne sommes pas "
                       "responsables de ces coupures », a-t-il ajouté, « et la panne de courant n'a aucun "
                       "lien avec elles ».")
    assert [s.speaker_text for s in found] == ["Paul Maréchal", "Paul Maréchal"]
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
    s = only("La ministre de la Culture Hélène Garnier a affirmé que les coupures étaient dues "
             "à l'hébergeur Datacime.")
    assert s.kind == "indirect"
    assert s.text == "les coupures étaient dues à l'hébergeur Datacime"
    assert s.claims[0]["claim_type"] == "blame"


def test_selon_clause():
    s = only("Selon le CNED, la plateforme fonctionne de nouveau normalement depuis jeudi.")
    assert (s.kind, s.speaker_text) == ("indirect", "le CNED")
    assert s.claims[0]["claim_type"] == "restoration"


def test_quoted_title_is_not_a_statement():
    assert statements("Le portail « Mon bureau en ligne » était inaccessible mardi.") == []


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


def test_press_release_speaks_for_its_owner_sentence_by_sentence():
    found = statements("Le centre de calcul de Brévannes a été la cible d'attaques répétées depuis mardi. "
                       "Aucune donnée des usagers n'a été dérobée à ce stade.\n"
                       "Une plainte a été déposée auprès du parquet de Nantes.",
                       document_kind="press_release", owner="Centre de calcul de Brévannes")
    assert [s.text for s in found] == [
        "Le centre de calcul de Brévannes a été la cible d'attaques répétées depuis mardi.",
        "Aucune donnée des usagers n'a été dérobée à ce stade.",
        "Une plainte a été déposée auprès du parquet de Nantes."]
    assert {s.speaker_text for s in found} == {"Centre de calcul de Brévannes"}


def test_plural_title_is_not_the_person_named_before():
    # "les enseignantes" are several people, not the teacher just named
    text = ("L'enseignante Claire Vasseur a rouvert sa classe lundi. Les enseignantes du collège "
            "ont reçu des consignes pour la semaine.")
    [(doc, _)] = list(analyze_texts("fr", [(text, {"published_at": PUBLISHED})]))
    plural = text.index("enseignantes du")
    assert [m.text for m in doc._.mentions.items if m.start_char == plural] == []


def test_post_is_one_statement_of_its_account():
    s = only("Notre portail est hors ligne à la suite d'une panne chez notre prestataire.",
             published_at="2021-03-10T08:12:00+01:00", document_kind="post",
             owner="data.gouv.fr (@datagouvfr)")
    assert (s.kind, s.speaker_text, s.said_at) == ("post", "data.gouv.fr (@datagouvfr)",
                                                   "2021-03-10T08:12:00+01:00")


def test_english_without_a_model_uses_the_rules():
    [(doc, _)] = list(analyze_texts("en", [(
        '"Northwind does not run these servers," said Helen Parker on Tuesday.\n'
        '"The storm has nothing to do with it," Parker added.', {"published_at": PUBLISHED})]))
    found = [(s.speaker_text, s.said_at) for s in doc._.statements]
    assert found == [("Helen Parker", "2021-04-06"), ("Parker", "2021-04-06")]
    assert doc._.statements[1].claims[0]["claim_type"] == "denial"


def test_clause_followed_by_its_incise():
    s = only("Cette information judiciaire a été ouverte pour intrusion dans un réseau informatique, "
             "a fait savoir mercredi le parquet de Lyon.")
    assert (s.kind, s.speaker_text, s.said_at) == ("indirect", "le parquet de Lyon", "2021-04-07")
    assert s.text == "Cette information judiciaire a été ouverte pour intrusion dans un réseau informatique"


def test_impersonal_incise_names_its_source_and_its_day():
    s = only("Les gendarmes ont été saisis mardi après une vague d'intrusions contre le portail, "
             "a-t-on appris ce mercredi auprès du parquet de Lyon.")
    assert (s.speaker_text, s.said_at, s.said_at_text) == ("parquet de Lyon", "2021-04-07", "ce mercredi")


def test_selon_inside_the_sentence_reports_the_main_clause():
    s = only("Ce lundi matin, dans quatre départements selon le syndicat Sgen-CFDT, il est impossible "
             "d'ouvrir les cahiers de textes en ligne.")
    assert s.speaker_text == "le syndicat Sgen-CFDT"
    assert s.text.startswith("il est impossible d'ouvrir")


def test_ce_dernier_is_the_last_one_named():
    found = statements("Le ministre Paul Garnier a accusé le prestataire Datacime. Mais ce dernier "
                       "a assuré n'être nullement responsable des coupures constatées.")
    assert [s.speaker_text for s in found] == ["Paul Garnier", "Datacime"]


def test_pronoun_prefers_the_subject_of_the_sentence_before():
    found = statements("Le SIRN avait indiqué lundi soir son intention de porter plainte contre les "
                       "auteurs. Il évoquait « une vingtaine d'intrusions sur le portail ».")
    assert found[-1].speaker_text == "SIRN"


def test_description_stands_for_the_organisation_named_before():
    found = statements("Le jeu a été perturbé, selon l'hébergeur Datacime. L'entreprise tourangelle "
                       "a assuré que ses serveurs avaient fonctionné normalement.")
    assert found[-1].speaker_text in ("Datacime", "hébergeur Datacime")


def test_coordinated_subjects_each_get_the_statement():
    found = statements("La FCPE et la PEEP assuraient mercredi que la plateforme ne fonctionnait "
                       "toujours pas.")
    assert sorted(s.speaker_text for s in found) == ["La FCPE", "la PEEP"]


def test_noun_phrase_speech_keeps_its_verb():
    s = only("Nathalie Vasseur a démenti les accusations de Numeriscol.")
    assert (s.text, s.speaker_text) == ("a démenti les accusations de Numeriscol", "Nathalie Vasseur")
    assert s.claims[0]["claim_type"] == "denial"


def test_quote_repeating_an_embedded_post_is_its_accounts():
    s = only("« Encore une matinée perdue avec un portail qui ne répond qu'une fois sur deux », "
             "pouvait-on lire sur Twitter.", posts=[("SGEN-CFDT Bretagne", "Encore une matinée perdue "
                                                    "avec un portail qui ne répond qu'une fois sur deux.")])
    assert s.speaker_text == "SGEN-CFDT Bretagne"


def test_unbalanced_quote_marks_of_real_pages():
    found = statements("Marion Texier, présidente de l'association de parents, était en colère. Plus "
                       "qu'oubliés, on se sent complètement méprisés,\" a-t-elle déploré.")
    assert [(s.text, s.speaker_text) for s in found] == [
        ("Plus qu'oubliés, on se sent complètement méprisés", "Marion Texier")]


def test_duration_and_past_events_do_not_date_later_statements():
    found = statements("La plateforme est en panne depuis lundi matin. L'incendie a eu lieu le 10 mars dernier.\n"
                       "« Nous travaillons à rétablir le service », a assuré Laurent Ferrandi.")
    assert (found[0].said_at, found[0].said_at_precision) == ("2021-04-07", "published")


def test_vendredi_dernier_dates_its_own_sentence_only():
    # published on Wednesday 7 April 2021: "lundi" is the 5th, "vendredi dernier" the 2nd
    found = statements("Le ministre Paul Garnier a déclaré lundi que le service serait rétabli. M. Garnier a "
                       "répété aux opérateurs que la situation créée par la coupure vendredi dernier était "
                       "« inacceptable, point final ».\nLes clients devront être indemnisés sans délai, a "
                       "ajouté le ministre.")
    assert [s.said_at for s in found] == ["2021-04-05", "2021-04-02", "2021-04-05"]


def test_english_reported_clauses_without_a_model():
    [(doc, _)] = list(analyze_texts("en", [(
        "Ferrandi said that the attack came from several thousand addresses abroad.\n"
        "The hosting company Datacime rejected the claim.\n"
        "The platform was fully restored on Thursday afternoon, its operator Numeriscol said.",
        {"published_at": PUBLISHED})]))
    found = [(s.speaker_text, s.text) for s in doc._.statements]
    assert found == [("Ferrandi", "the attack came from several thousand addresses abroad"),
                     ("Datacime", "rejected the claim"),
                     ("Numeriscol", "The platform was fully restored on Thursday afternoon")]


def english(text):
    [(doc, _)] = list(analyze_texts("en", [(text, {"published_at": PUBLISHED})]))
    return [(s.speaker_text, s.text) for s in doc._.statements]


def test_english_clause_with_its_own_subject_after_said():
    assert english("The regional operator Lanvex said it had restored power to most homes.\n"
                   "Okafor said Lanvex would pay for the repairs.") == [
        ("Lanvex", "it had restored power to most homes"),
        ("Okafor", "Lanvex would pay for the repairs")]


def test_english_participle_opening_is_no_speaker():
    assert english('Ruth Okafor runs the depot. Asked about the cause, she said "there is no sign of '
                   'foul play".') == [("Ruth Okafor", "there is no sign of foul play")]
    assert all(speaker != "Asked" for speaker, _ in english(
        'Asked about the cause, the depot manager said "there is no sign of foul play".'))


def test_english_second_report_of_the_same_speaker():
    assert english("Thornbury Constabulary confirmed that detectives were examining the site but stressed "
                   "there was no sign of arson.") == [
        ("Thornbury Constabulary", "detectives were examining the site"),
        ("Thornbury Constabulary", "there was no sign of arson")]
    assert english("Lanvex said it had restored power to most homes, adding that crews would stay "
                   "overnight.") == [
        ("Lanvex", "it had restored power to most homes"), ("Lanvex", "crews would stay overnight")]
    assert english("Lanvex said on Monday that the fault came from a substation and that no data was "
                   "lost.") == [("Lanvex", "the fault came from a substation"), ("Lanvex", "no data was lost")]
    # what was rejected is not what was said: the participle's clause is
    assert english("Lanvex rejected the union's figures, saying only two depots had closed.") == [
        ("Lanvex", "only two depots had closed")]


def test_english_participle_after_a_name_reports_for_that_name():
    assert english("Her post came in response to the reporter Dana Reyes tweeting that commuters in "
                   "Leeds rely on the line to get to work, and noting she was \"stunned by the silence "
                   "of the company.\"") == [
        ("Dana Reyes", "commuters in Leeds rely on the line to get to work"),
        ("Dana Reyes", 'she was "stunned by the silence of the company."')]


def test_clause_misparsed_under_the_main_verb_is_still_the_one_reported():
    # the parser hangs "perturbait" on "soutenait", not on "confirmait"
    found = statements("En mi-journée, alors que Moneris confirmait que la situation perturbait le "
                       "fonctionnement de ses terminaux, Northwind soutenait toujours que ses équipes "
                       "restaient mobilisées.")
    assert [(s.speaker_text, s.text) for s in found] == [
        ("Moneris", "la situation perturbait le fonctionnement de ses terminaux"),
        ("Northwind", "ses équipes restaient mobilisées")]


def test_impersonal_passive_incise_is_said_by_the_medium_it_names():
    found = statements("Deux hommes ont été mis en examen ce mardi, a déclaré le parquet de Lyon. "
                       "Les deux hommes avaient été interpellés samedi à Vienne, est-il précisé dans une "
                       "note de la procureure de la République, Anne Morel.")
    assert [(s.speaker_text, s.text) for s in found][1] == (
        "Anne Morel", "Les deux hommes avaient été interpellés samedi à Vienne")


def test_the_company_is_the_one_the_article_is_about():
    # not the last one named: the one named most
    found = statements("La panne du réseau de la CTRA a duré six heures lundi. La CTRA transporte deux "
                       "cent mille voyageurs par jour. Les bus de la RTPA et de la STAV ont été pris "
                       "d'assaut. L'entreprise a indiqué que toutes les lignes fonctionnaient de nouveau.")
    assert [(s.speaker_text, s.text) for s in found] == [
        ("CTRA", "toutes les lignes fonctionnaient de nouveau")]


def test_the_press_release_is_the_one_named_before():
    found = statements("Selon un communiqué de la préfecture de la Drôme, la route restera fermée "
                       "jusqu'à jeudi. Les pompiers du SDIS sont sur place depuis lundi. « Les "
                       "travaux de sécurisation dureront trois jours », précise le communiqué.")
    assert [(s.speaker_text, s.text) for s in found][-1] == (
        "la préfecture de la Drôme", "Les travaux de sécurisation dureront trois jours")


def test_an_aside_between_a_quote_and_its_incise():
    s = only("« Le portail fonctionne de nouveau depuis ce matin », dans un communiqué publié lundi, "
             "indique la mairie de Tours.")
    assert (s.kind, s.speaker_text, s.text) == (
        "direct", "la mairie de Tours", "Le portail fonctionne de nouveau depuis ce matin")


def test_a_ministry_with_several_portfolios_is_one_speaker():
    s = only("Le ministère de la Culture, de la Communication et des Médias a assuré que le "
             "portail fonctionnait.")
    assert s.speaker_text == "Le ministère de la Culture, de la Communication et des Médias"


def test_english_appositions_and_pronouns_without_a_model():
    [(doc, _)] = list(analyze_texts("en", [(
        "Rescue teams reached the last building, the regional delegate in Murcia, Carmen Ruiz, "
        "told journalists. Lab tests will confirm the cause of the blaze, she said. "
        "Neighbours said the smoke reached the third floor.", {"published_at": PUBLISHED})]))
    found = [(s.speaker_text, s.text) for s in doc._.statements]
    assert found == [("Carmen Ruiz", "Rescue teams reached the last building"),
                     ("Carmen Ruiz", "Lab tests will confirm the cause of the blaze")]


def test_english_quote_without_attribution_is_skipped_safely():
    # tokens of an unparsed doc have no children: looking for them crashed spaCy
    [(doc, _)] = list(analyze_texts("en", [(
        'Privately, they say it is "a very close race for everyone". Nothing else was said.',
        {"published_at": PUBLISHED})]))
    assert doc._.statements == []


def test_hyphenated_names_coordinated_after_a_long_opening():
    found = statements("Concernant le portail de la région, le Sgen-CFDT ou encore le Snalc-FO (premier "
                       "syndicat du secondaire), assuraient mercredi que cela « ne marchait pas ».")
    assert sorted(s.speaker_text for s in found) == ["le Sgen-CFDT", "le Snalc-FO"]


def test_a_person_is_not_the_organisation_after_her_name():
    s = only("« Cela touche la moitié des collèges du département », a souligné auprès de l'AFP "
             "Julie Moreau du Sgen-CFDT.")
    assert s.speaker_text == "Julie Moreau"


def test_a_description_of_a_person_carries_her_name_to_a_later_pronoun():
    found = statements("Claire Lefèvre est professeure des écoles à Lyon. L'enseignante se tourne alors vers "
                       "la plateforme du CNED. « J'ai essayé d'ouvrir ma classe virtuelle, impossible "
                       "d'aller plus loin », explique-t-elle.")
    assert [s.speaker_text for s in found] == ["Claire Lefèvre"]


def test_unnamed_plural_organisations_are_not_speakers():
    assert statements("Les syndicats dénoncent un fiasco complet pour les élèves.") == []


def test_a_capitalised_title_in_quotes_is_no_statement():
    assert statements("Elle a ouvert sa classe sur « Ma classe à la maison » ce matin.") == []


def test_la_veille_counts_from_the_day_the_story_has_reached():
    found = statements("Mardi 6 avril, la plateforme est tombée en panne.\n"
                       "« Nous étions prêts », avait assuré la veille Jean-Michel Blanquer.",
                       published_at="2021-04-08T10:00:00+02:00")
    assert (found[0].said_at, found[0].said_at_text) == ("2021-04-05", "la veille")


def test_worker_processes_give_the_same_statements(monkeypatch):
    from claimline.nlp import pipeline
    texts = [(f"« La plateforme numéro {i} fonctionne », a assuré Jean-Michel Blanquer mardi.",
              {"published_at": PUBLISHED, "n": i}) for i in range(6)]
    alone = [(s[0].text, s[0].speaker_text, c["n"]) for s, c in pipeline.statements_of("fr", texts)]
    monkeypatch.setattr(pipeline, "MIN_DOCUMENTS_PER_WORKER", 1)
    monkeypatch.setattr(pipeline, "CHUNK", 2)
    forked = [(s[0].text, s[0].speaker_text, c["n"]) for s, c in pipeline.statements_of("fr", texts, workers=2)]
    assert forked == alone and len(alone) == 6


def test_unnamed_spokesperson_speaks_for_the_organisation():
    found = [(s.speaker_text, s.text) for s in statements(
        "La compagnie Aérolis a annulé ses vols mardi.\n"
        "« Les passagers seront remboursés », a déclaré un porte-parole de la compagnie Aérolis.")]
    assert found == [("Aérolis", "Les passagers seront remboursés")]


def test_english_reporting_verbs_and_a_quote_ending_its_sentence():
    found = english(
        "The regulator Ofwire revealed that it will open an inquiry into the outage.\n"
        "\u201cThere is an internal review,\u201d Jane Miller continued. \u201cNothing will change soon.\u201d "
        "Ofwire said it had asked for the logs.")
    assert ("Ofwire", "it will open an inquiry into the outage") in found
    assert ("Jane Miller", "There is an internal review") in found
    assert ("Jane Miller", "Nothing will change soon.") in found


def test_english_pronoun_after_said_opens_the_report():
    # "said they were…": "they" is the report's subject, not a speaker to look back for
    [(doc, _)] = list(analyze_texts("en", [(
        "Helen Parker visited the depot on Monday.\n"
        "Officials said they were adding trains on the northern line.\n"
        "Parker said she would ask for a review.", {"published_at": PUBLISHED})]))
    assert [(s.speaker_text, s.text) for s in doc._.statements] == [
        ("Parker", "she would ask for a review")]


def test_quote_interrupted_by_its_incise_is_two_statements():
    found = statements("Paul Durand dirige l'agence régionale. « Les équipes ont travaillé toute la nuit "
                       "sur les serveurs, a-t-il souligné. Le service reprendra demain matin dans tout "
                       "le département. »")
    assert [(s.kind, s.speaker_text) for s in found] == [("direct", "Paul Durand")] * 2
    assert found[0].text == "Les équipes ont travaillé toute la nuit sur les serveurs"
    assert found[1].text.startswith("Le service reprendra demain matin")


def test_present_participle_reports_for_the_speaker_before_it():
    found = statements("La ministre Anne Martin a assuré que rien n'avait été perdu, ajoutant que les "
                       "sauvegardes avaient fonctionné pendant toute la panne.")
    assert [(s.speaker_text, s.text) for s in found] == [
        ("Anne Martin", "rien n'avait été perdu"),
        ("Anne Martin", "les sauvegardes avaient fonctionné pendant toute la panne")]


def test_participle_after_an_incise_and_the_clause_before_it():
    found = statements("Les serveurs ont été coupés par précaution, explique la ministre sur une radio "
                       "publique, précisant que les comptes des élèves avaient été bloqués dès lundi.")
    assert [(s.speaker_text, s.text) for s in found] == [
        ("la ministre", "Les serveurs ont été coupés par précaution"),
        ("la ministre", "les comptes des élèves avaient été bloqués dès lundi")]


def test_participle_with_an_object_is_not_a_report():
    found = statements("Des investigations sont en cours sur cette intrusion, a indiqué le parquet de "
                       "Lyon, confirmant une information du quotidien régional.")
    assert [s.text for s in found] == ["Des investigations sont en cours sur cette intrusion"]


def test_relative_clause_reports_for_its_antecedent():
    found = statements("La cellule de crise a été activée dès le matin, précise encore la préfecture qui "
                       "assure que les secours sont arrivés « en moins d'une heure » sur les lieux.")
    assert [s.speaker_text for s in found] == ["la préfecture", "la préfecture"]
    assert found[1].text.startswith("les secours sont arrivés")


def test_venue_is_not_part_of_the_speaker():
    s = only("« Aucune donnée n'a été volée pendant l'attaque », a déclaré la ministre sur une radio publique.")
    assert s.speaker_text == "la ministre"


def test_english_late_name_after_said_is_whole():
    assert english('"This is one more failure of the operator," said the union\'s General Secretary '
                   'Mary Jones in a statement.') == [
        ("General Secretary Mary Jones", "This is one more failure of the operator")]


def test_english_pronoun_resolves_to_a_surname_reported_speaking():
    found = english("Laura Kemp runs Northwind. The company serves the north. Its network failed on "
                    "Monday. Trains stopped for hours. Kemp said the repairs were done. "
                    '"We will pay every customer back," she said.')
    assert found[-1] == ("Laura Kemp", "We will pay every customer back")


def test_source_marker_with_a_pronoun():
    found = statements("Paul Durand dirige le syndicat des techniciens. D'après lui, cette suspension "
                       "doit permettre de revoir les outils numériques.")
    assert [(s.speaker_text, s.text) for s in found] == [
        ("Paul Durand", "cette suspension doit permettre de revoir les outils numériques")]


def test_multi_word_incise_in_a_paragraph_of_its_own():
    # nothing else in the paragraph says it reports speech: "laissé" is conjugated, "entendre" not
    found = statements("Le ministre Paul Durand a reçu les opérateurs.\nEn cas de coupure, les abonnés "
                       "pourraient basculer sur une antenne voisine, a laissé entendre le ministre.")
    assert [(s.speaker_text, s.text) for s in found] == [
        ("Paul Durand", "En cas de coupure, les abonnés pourraient basculer sur une antenne voisine")]


def test_enumerating_is_reporting():
    s = only("Parmi les informations copiées figurent les noms et les adresses des abonnés, énumère la Cnil.")
    assert (s.kind, s.speaker_text) == ("indirect", "Cnil")


def test_incise_followed_by_where_and_when_it_was_said():
    s = only("Les fournisseurs devront adopter un plan d'entraide avant l'automne, a dit le ministre "
             "Paul Durand en quittant une réunion avec les patrons du secteur mardi soir.")
    assert (s.speaker_text, s.text) == (
        "Paul Durand", "Les fournisseurs devront adopter un plan d'entraide avant l'automne")


def test_english_title_with_its_article_stands_for_the_person_named_before():
    found = english("Northwind Rail named Laura Kemp chief executive in May. Service was restored on "
                    'Tuesday. "This failure caused real pain for our customers," the CEO said.')
    assert found[-1] == ("Laura Kemp", "This failure caused real pain for our customers")


def test_english_pronoun_prefers_the_name_reported_speaking():
    found = english("Grid operator Tom Hale told the Evening Post that the fire at the West Field "
                    'substation was contained. "There was no lack of capacity," he said.')
    assert found[-1] == ("Tom Hale", "There was no lack of capacity")


def test_long_title_before_a_name_and_its_gender_carried_by_the_title():
    found = statements("La ministre française de la Santé et des Territoires, Anne Martin, a parlé mardi "
                       "sur une radio publique. La ministre a indiqué que plusieurs accès au portail scolaire "
                       "avaient été détournés. « Nous identifions les comptes touchés un par un », "
                       "a-t-elle indiqué.")
    assert [s.speaker_text for s in found][-1] == "Anne Martin"


def test_clause_of_quoted_fragments_and_its_incise_is_one_indirect_statement():
    s = only("La ministre Anne Martin a réuni les recteurs. Les portails vont rester fermés « quelques "
             "jours », « jusqu'à la fin du mois sans doute », a-t-elle ajouté.")
    assert (s.kind, s.speaker_text) == ("indirect", "Anne Martin")
    assert s.text.startswith("Les portails vont rester fermés")


def test_incise_after_a_sentence_adverb_reports_the_clause_after_it():
    s = only("Toutefois, précise la gendarmerie, rien n'indique pour l'instant « une intention de "
             "nuire » dans ce départ de feu.")
    assert (s.speaker_text, s.text) == ("la gendarmerie", "rien n'indique pour l'instant « une "
                                                          "intention de nuire » dans ce départ de feu")


def test_a_time_inside_the_quoted_fragments_of_a_reported_clause_is_the_speakers_own():
    found = statements("Le ministre Paul Durand a réuni les recteurs. Selon lui, les portails « ont cédé "
                       "hier soir » et « n'ont pas tenu la charge des connexions ».")
    assert [(s.kind, s.speaker_text) for s in found] == [("indirect", "Paul Durand")]
    assert found[0].said_at[:10] == "2021-04-07"


def test_title_stands_for_the_person_named_just_before_without_a_role():
    # the title comes too far after the name for "right after", and no one else is named between
    found = statements("Sur une radio locale, Paul Durand s'est dit « satisfait » de voir les trains repartir "
                       "lundi sur les trois lignes touchées. La promesse faite aux voyageurs a donc été tenue, "
                       "après trois jours de retards, d'annulations et de correspondances manquées dans toutes "
                       "les gares du pays, des plus grandes aux plus petites, pendant le premier grand "
                       "week-end des vacances d'été. Les retards ont touché « cent mille voyageurs » avec "
                       "de nombreuses annulations de trains, a confié le ministre sortant chargé des "
                       "Routes.")
    assert [s.speaker_text for s in found][-1] == "Paul Durand"


def test_the_platform_of_the_account_is_not_the_speaker():
    s = only("« Nos équipes rétablissent le service ligne après ligne » a informé via son compte "
             "Twitter Paul Durand, porte-parole du groupe.")
    assert s.speaker_text == "Paul Durand"


def test_organisme_stands_for_the_organisation_named_before():
    found = statements("L'Agence régionale des eaux a été visée par une attaque. Les fichiers copiés "
                       "contiennent des adresses, indique aussi l'organisme qui garantit que les "
                       "versements ne sont « en rien menacés ».")
    assert [s.speaker_text for s in found] == ["Agence régionale des eaux"] * 2


def test_english_the_company_and_it_stand_for_the_organisation_named_before():
    assert english('After the nationwide Lanvex outage, the company said it had "failed" its customers '
                   'and the situation "was unacceptable."') == [
        ("Lanvex", 'it had "failed" its customers and the situation "was unacceptable."')]
    assert english("Lanvex Communications says it has restored service for most customers.\n"
                   "The regional giant apologised for the disruption.\n"
                   "It says its engineers are still repairing the last lines.")[-1] == (
        "Lanvex Communications", "its engineers are still repairing the last lines")


def test_english_single_curly_quotes_are_quotes_and_the_apostrophe_is_not_their_end():
    from claimline.nlp.quotes import find_quotes
    text = "The firm’s chief said ‘it’s down for everyone’ on Monday, and l’opérateur « reviendra »."
    assert [text[a:b] for a, b in find_quotes(text)] == ["it’s down for everyone", " reviendra "]


def test_english_no_opens_a_reported_clause_but_not_no_to():
    assert english("Lanvex has also said no customer data appears to have been lost.") == [
        ("Lanvex", "no customer data appears to have been lost")]
    assert english("The mayor Ruth Okafor said no to the new depot plan.") == []


def test_a_day_in_a_sentence_where_nobody_speaks_dates_an_event_not_the_statements_after_it():
    found = statements("Le réseau régional est en panne depuis plusieurs jours.\nLa coupure a débuté "
                       "lundi 5 avril dans toute la vallée.\nLe préfet Paul Durand a assuré que les "
                       "réparations seraient terminées dans la semaine.")
    assert [(s.speaker_text, s.said_at[:10], s.said_at_precision) for s in found] == [
        ("Paul Durand", "2021-04-07", "published")]


def test_il_stands_for_the_person_before_an_organisation_named_since():
    found = statements("Le proviseur Marc Lefort dirige un lycée de la ville. Chaque matin, les élèves "
                       "se connectent par milliers à l'ENT du lycée. « Il faut avancer vite », "
                       "insiste-t-il.")
    assert [s.speaker_text for s in found][-1] == "Marc Lefort"


def test_a_second_report_coordinated_with_the_first():
    found = statements("La gendarmerie a confirmé que sa brigade menait l'enquête mais a souligné qu'il "
                       "n'y avait aucun signe d'acte malveillant.")
    assert [(s.speaker_text, s.text) for s in found] == [
        ("La gendarmerie", "sa brigade menait l'enquête"),
        ("La gendarmerie", "il n'y avait aucun signe d'acte malveillant")]


def test_a_relative_after_an_incise_reports_for_its_antecedent():
    found = statements("Le courriel mentionne trois lycées de la ville, ajoute le rectorat, qui précise que "
                       "l'alerte semble toucher plusieurs communes voisines.")
    assert [(s.speaker_text, s.text) for s in found] == [
        ("le rectorat", "Le courriel mentionne trois lycées de la ville"),
        ("le rectorat", "l'alerte semble toucher plusieurs communes voisines")]


@pytest.mark.parametrize("text, clause", [
    ("Comme l'a souligné le ministre Paul Durand, la coupure a privé les urgences de téléphone.",
     "la coupure a privé les urgences de téléphone"),
    ("La coupure a privé les urgences de téléphone, comme l'a rappelé Paul Durand.",
     "La coupure a privé les urgences de téléphone"),
])
def test_comme_l_a_dit_reports_the_clause_it_hangs_on(text, clause):
    s = only(text)
    assert (s.kind, s.speaker_text, s.text) == ("indirect", "Paul Durand", clause)


def test_english_according_to_after_a_paragraph_closing_a_quote():
    assert english('In a blog post, Lanvex chief Tom Hale says: "We are sorry for the cuts."\n'
                   'According to Hale, the fault also stopped the tools the engineers use.') == [
        ("Tom Hale", "We are sorry for the cuts."), ("Hale", "the fault also stopped the tools the engineers use")]


def test_a_quote_paragraph_continues_the_reported_speaker_before_it():
    assert english("According to Hale, the fault also stopped the tools the engineers use every day.\n"
                   '"Our teams found that a configuration change on the main routers caused it."') == [
        ("Hale", "the fault also stopped the tools the engineers use every day"),
        ("Hale", "Our teams found that a configuration change on the main routers caused it.")]


def test_english_medium_of_a_statement_stands_for_who_posted_it():
    assert english('Lanvex posted a statement on its website. "We are aware of issues affecting our '
                   'network," the statement said.') == [("Lanvex", "We are aware of issues affecting our network")]
    assert english('Okafor tweeted a reply at noon. "Crews are on site and working hard," the tweet reads.') == [
        ("Okafor", "Crews are on site and working hard")]


def test_english_inverted_medium_and_relayed_report():
    assert english('Thornbury Constabulary released a statement at noon.\n"If your call fails, try again '
                   'later," reads the tweet.') == [("Thornbury Constabulary", "If your call fails, try again later")]
    # the agency relays what the company said: the company's words
    assert english("Lanvex apologised on Monday. According to the Wire Agency, the company had previously said "
                   "it would refund two days of service to every customer.") == [
        ("Lanvex", "it would refund two days of service to every customer")]


def test_english_names_in_camel_case():
    assert english('A post by TeleNord also confirmed the fault and added, "We are working to restore '
                   'the service."') == [("TeleNord", "We are working to restore the service.")]


def test_a_person_named_right_after_the_outlet_of_an_incise():
    found = statements("Une ligne d'aide sera ouverte lundi, a indiqué ce matin sur Radio Vallée Marie-Claude "
                       "Ferrand, la présidente de l'agence. Elle sera gratuite pour tous, a précisé la présidente de "
                       "l'agence.")
    assert [s.speaker_text for s in found] == ["Marie-Claude Ferrand", "Marie-Claude Ferrand"]


def test_an_infinitive_report_after_a_date_aside_and_a_name_with_brackets():
    found = statements("Lanvex (ex-Réseau Ouest) a annoncé, jeudi 4 avril, avoir été victime d'une intrusion "
                       "dans ses serveurs.")
    assert [(s.speaker_text, s.text) for s in found] == [
        ("Lanvex", "avoir été victime d'une intrusion dans ses serveurs")]


@pytest.mark.parametrize("text, kind, words", [
    ("La présidente Julie Roux a fustigé mardi sur Radio Vallée un dispositif « pas au point ».",
     "direct", "pas au point"),
    ("La ministre Anne Morel a annoncé jeudi la « suspension provisoire » de la messagerie des "
     "collèges et des lycées de l'académie.", "indirect", "suspension provisoire"),
])
def test_a_quote_inside_an_object_is_the_statement_when_it_is_most_of_it(text, kind, words):
    s = only(text)
    assert s.kind == kind and words in s.text


def test_a_participle_after_a_quote_incise_with_a_venue():
    found = statements('"Les messages qui ont été envoyés, c\'est par des comptes piratés d\'élèves", a expliqué la '
                       'ministre Anne Morel sur Radio Vallée, précisant que ces comptes avaient été "gelés" '
                       'aussitôt après l\'alerte.')
    assert [(s.kind, s.speaker_text) for s in found] == [("direct", "Anne Morel"), ("indirect", "Anne Morel")]


def test_english_descriptions_of_an_organisation_named_before():
    assert english("Lanvex said some homes may wait until Friday. The Leeds-based energy supplier apologised "
                   "for the cuts and said it would refund every customer.") == [
        ("Lanvex", "some homes may wait until Friday"), ("Lanvex", "it would refund every customer")]
    assert english('"The review will report by June," the Welsh government said in a statement.') == [
        ("Welsh government", "The review will report by June")]


def test_a_clause_parsed_as_the_medium_s_after_a_fronted_phrase():
    text = ("La porte-parole Julie Roux a déclaré mardi : « Nous sommes conscients que certains usagers ont du "
            "mal à se connecter. Nous travaillons pour que tout revienne à la normale. »\n"
            "Après le rétablissement du service, Lanvex a indiqué dans un communiqué que la coupure avait été "
            "provoquée par une « erreur de configuration » de ses routeurs.")
    assert [(s.speaker_text, s.kind) for s in statements(text)] == [("Julie Roux", "direct"), ("Lanvex", "indirect")]


def test_a_lowercase_outlet_between_an_incise_verb_and_its_speaker():
    s = only("« Il faut rassurer les élèves et les familles », dit vendredi sur franceinfo Bruno Lemaire, "
             "secrétaire général du syndicat.")
    assert s.speaker_text == "Bruno Lemaire"


def test_a_title_stands_for_the_subject_of_the_sentence_that_named_several_people():
    s = only("Paul Garnier s'exprimait après une réunion à laquelle participaient les ministres Jean Morel "
             "(Justice) et Anne Roux (Santé). « Nous retrouverons les auteurs de ces messages », a affirmé le "
             "chef du gouvernement.")
    assert s.speaker_text == "Paul Garnier"

from lxml import html

from claimline.crawler.extract import clean_url, decode_html, extract_page, extract_tweet_embeds

EMBED = ('<div><blockquote class="twitter-tweet"><p lang="fr" dir="ltr">Les ENT eux-mêmes sont '
         'tombés ce matin.</p>&mdash; SNES-FSU (@SNESFSU) <a href="https://twitter.com/SNESFSU/'
         'status/42?ref_src=twsrc%5Etfw">April 6, 2021</a></blockquote><p>Suite.</p></div>')


def test_tweet_embed_byline_ignores_dashes_in_the_text():
    tree = html.fromstring(EMBED)
    [post] = extract_tweet_embeds(tree, "http://127.0.0.1/")
    assert (post["name"], post["handle"]) == ("SNES-FSU", "SNESFSU")
    assert post["url"] == "https://twitter.com/SNESFSU/status/42"
    assert post["published_at"] == "2021-04-06"
    assert "twitter-tweet" not in html.tostring(tree, encoding="unicode")


def test_clean_url_drops_tracking_parameters_and_keeps_the_others():
    assert clean_url("https://Snes.edu/spip.php?article123&utm_source=x&xtor=RSS-3#forum") == \
        "https://snes.edu/spip.php?article123"
    assert clean_url("https://a.fr/?p=42&at_medium=social&at_campaign=x&fbclid=1") == "https://a.fr/?p=42"


def test_a_page_that_lies_about_its_charset_is_read_as_windows_1252():
    text, note = decode_html('<meta charset="utf-8"><p>été</p>'.encode("cp1252"))
    assert "été" in text and note.startswith("the page declares the charset utf-8")
    assert decode_html("<p>été</p>".encode("utf-8")) == ("<p>été</p>", None)


LEAD_PAGE = """<!doctype html><html lang="fr"><head><title>Panne du réseau régional</title></head><body>
<article><h1>Le réseau régional coupé pendant deux jours</h1>
<p class="chapo"><strong>Le préfet Paul Durand a annoncé lundi que le réseau serait rétabli d'ici mercredi,
après deux jours de coupure dans toute la vallée.</strong></p>
<p class="byline">La rédaction</p>
<div class="article-body">
<p>Les équipes techniques ont travaillé toute la nuit pour remplacer les câbles endommagés par
l'incendie du poste électrique, a précisé l'opérateur dans un communiqué publié dimanche soir.</p>
<p>Les habitants de la vallée ont dû se rendre dans les mairies voisines pour appeler les secours,
selon plusieurs élus locaux interrogés par notre rédaction, qui dénoncent un manque d'information.</p>
<p>Le syndicat des techniciens a demandé un plan de secours pour les prochains mois, estimant que
le réseau reste fragile tant que les lignes aériennes ne sont pas enterrées.</p>
</div></article></body></html>"""


def test_the_lead_outside_the_article_body_is_the_texts_first_paragraph():
    text = extract_page(LEAD_PAGE, "http://127.0.0.1/panne.html")["text"]
    paragraphs = text.split("\n")
    assert paragraphs[0].startswith("Le préfet Paul Durand a annoncé lundi")
    assert sum(p.startswith("Le préfet") for p in paragraphs) == 1
    assert any(p.startswith("Les équipes techniques") for p in paragraphs)

"""An article on an organisation's own site that says it is a press release speaks for it."""

from claimline.analyze import document_context
from claimline.press_releases import is_press_release


def test_the_url_or_the_opening_words_say_press_release():
    assert is_press_release("https://www.agence-eau.example/accueil/communiques/2024/coupure.html", "")
    assert is_press_release("https://www.rail.example/actualites/communique-unitaire-cheminots", "")
    assert is_press_release("https://www.airport.example/media/press-releases/power-cut", "")
    assert is_press_release("https://www.ville.example/actualites/coupure", "Communiqué de presse\\nLa mairie…")
    # words of the path, not letters of a word: "communiquer", "pressed", "La Presse"
    assert not is_press_release("https://www.lapresse.example/actualites/comment-communiquer-en-crise", "")
    assert not is_press_release("https://news.example/uk/pressed-for-answers", "Ministers were pressed…")


def test_analysis_reads_such_an_article_as_its_outlets_press_release(fresh_db):
    db = fresh_db
    db["sources"].insert({"id": "revue", "kind": "feed", "url": "https://revue.example/feed.xml"})
    page = {"id": "d1", "source_id": "revue", "kind": "article", "outlet": "Agence de l'eau du Val",
            "url": "https://agence-eau.example/communiques/coupure-secteur-nord.html", "author": None,
            "published_at": "2024-05-02", "text": "La distribution est rétablie."}
    context = document_context(db, page)
    assert (context["document_kind"], context["owner"]) == ("press_release", "Agence de l'eau du Val")
    # an article of the press, or a source that names its owner, stays as it was said
    article = {**page, "url": "https://journal.example/actualites/coupure-secteur-nord.html",
               "outlet": "Le Journal du Val"}
    assert (document_context(db, article)["document_kind"], document_context(db, article)["owner"]) == ("article", None)

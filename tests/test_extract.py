from lxml import html

from claimline.crawler.extract import clean_url, decode_html, extract_tweet_embeds

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

from lxml import html

from crawler.extract import extract_tweet_embeds

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

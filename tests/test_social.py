"""Bluesky and Mastodon accounts, and posts embedded in an article, from 127.0.0.1."""

import shutil
from pathlib import Path

import pytest

from claimline import db as database
from claimline.localsite import LocalSite
from claimline.refresh import crawl

SOCIAL = Path(__file__).parent / "files" / "social"


@pytest.fixture(scope="module")
def social(tmp_path_factory):
    folder = tmp_path_factory.mktemp("social")
    site_dir = folder / "site"
    shutil.copytree(SOCIAL, site_dir)
    db_path = str(folder / "social.db")
    with LocalSite(site_dir) as site:
        base = site.base_url
        page = site_dir / "embeds.html"
        page.write_text(page.read_text(encoding="utf-8").replace("{base_url}", base), encoding="utf-8")
        local = ["127.0.0.1"]
        sources = [
            {"id": "cned-bluesky", "kind": "bluesky", "handle": "cned.bsky.social", "api": base,
             "allow_private": local},
            {"id": "snes-mastodon", "kind": "mastodon", "url": f"{base}/@snes", "allow_private": local},
            {"id": "journal", "kind": "urls", "urls": [f"{base}/embeds.html"], "allow_private": local},
        ]
        db = database.open_db(db_path)
        run_id = database.start_run(db, "crawl")
        counts = crawl(db, db_path, sources, run_id, "claimline.crawler.settings.local")
    return db, counts


def posts_of(db, prefix):
    """Posts by URL; not by source: an embedded post may be met first in the article."""
    return {d["url"]: d for d in db["documents"].rows_where("kind = 'post' and url like ?", [f"{prefix}%"])}


def test_bluesky_author_feed_without_reposts(social):
    db, counts = social
    assert counts["errors"] == 0
    posts = posts_of(db, "https://bsky.app/")
    url = "https://bsky.app/profile/did:plc:cnedtest0000000000000000/post/3lcned1aaaa2a"
    assert set(posts) == {url, "https://bsky.app/profile/did:plc:cnedtest0000000000000000/post/3lcned2bbbb2b"}
    post = posts[url]
    assert post["author"] == "CNED (@cned.bsky.social)"
    assert post["outlet"] == "Bluesky"
    assert post["published_at"] == "2021-04-07T08:12:00+00:00"
    assert post["text"].startswith("Le CNED a été la cible d'attaques informatiques")
    assert post["warc_record_id"]


def test_mastodon_account_through_the_public_api(social):
    db, _ = social
    posts = posts_of(db, "https://mastodon.test/")
    assert set(posts) == {"https://mastodon.test/@snes/110", "https://mastodon.test/@snes/111"}
    post = posts["https://mastodon.test/@snes/111"]
    assert post["text"] == "Le ministère n'avait rien préparé : nous l'avions annoncé."
    assert post["author"] == "SNES-FSU (@snes)"
    assert (post["outlet"], post["lang"]) == ("Mastodon", "fr")


def test_embedded_posts_point_to_their_article(social):
    db, _ = social
    article = next(db["documents"].rows_where("source_id = 'journal' and kind = 'article'"))
    assert "Retour à la normale" not in article["text"]
    children = {d["url"]: d for d in db["documents"].rows_where("parent_id = ?", [article["id"]])}
    assert set(children) == {
        "https://bsky.app/profile/did:plc:cnedtest0000000000000000/post/3lcned2bbbb2b",
        "https://mastodon.test/@snes/110"}
    bluesky = children["https://bsky.app/profile/did:plc:cnedtest0000000000000000/post/3lcned2bbbb2b"]
    assert bluesky["author"] == "CNED (@cned.bsky.social)"

"""Grouping the same words reported by several outlets into one utterance."""

from claimline.utterances import group_utterances

WORDS = "ces portails dépendent d'un prestataire dont la salle serveurs a été inondée à Tours le mois dernier"


def add(db, doc_id, published_at, statements):
    db["documents"].insert({"id": doc_id, "url": f"https://example.org/{doc_id}", "kind": "article",
                            "published_at": published_at, "text": " ".join(s[1] for s in statements)})
    offset = 0
    for statement_id, text, actor_id, said_at, precision in statements:
        db["statements"].insert({"id": statement_id, "document_id": doc_id, "actor_id": actor_id,
                                 "text": text, "kind": "direct", "said_at": said_at,
                                 "said_at_precision": precision, "start_char": offset})
        offset += len(text) + 1


def test_same_words_are_one_utterance_dated_by_the_first_report(fresh_db):
    db = fresh_db
    db["actors"].insert_all([{"id": "blanquer", "name": "Jean-Michel Blanquer"},
                             {"id": "paulin", "name": "Michel Paulin"}], pk="id")
    add(db, "first", "2021-04-06T11:45:00+02:00", [
        ("a", WORDS[:60], "blanquer", "2021-04-06", "part_of_day")])
    add(db, "later", "2021-04-07T09:00:00+02:00", [
        ("b", WORDS, "blanquer", "2021-04-07", "published"),
        ("c", "les problèmes ont seulement concerné une ou deux régions", "blanquer", "2021-04-07", "published"),
        ("d", WORDS, "paulin", "2021-04-07", "published")])
    assert group_utterances(db) == 1
    rows = {r["id"]: r for r in db["statements"].rows}
    assert rows["a"]["utterance_id"] == rows["b"]["utterance_id"] == "a"
    assert rows["d"]["utterance_id"] == "d"  # another speaker's words are another utterance
    assert (rows["b"]["said_at"], rows["b"]["said_at_precision"]) == ("2021-04-06", "first_report")
    # said with it, in the same paragraph, by the same speaker: the same day
    assert rows["c"]["said_at"] == "2021-04-06"
    assert (rows["d"]["said_at"], rows["d"]["said_at_precision"]) == ("2021-04-07", "published")

"""Which denial answers which blame."""

from claimline.linking import DISPUTE_REASON, disputes, incident_links


def claim(statement_id, said_at, actor_id=None, organisation_id=None, target=None):
    return {"id": statement_id, "said_at": said_at, "actor_id": actor_id,
            "organisation_id": organisation_id, "target_actor_id": target}


BLAMES = [claim("three days before", "2021-04-03T18:00", target="hebergeur"),
          claim("three days after", "2021-04-09", target="hebergeur"),
          claim("four days after", "2021-04-10", target="hebergeur"),
          claim("no known day", None, target="hebergeur"),
          claim("no date", "vers midi", target="hebergeur"),
          claim("at someone else", "2021-04-06", target="ministere")]


def disputed(denial):
    found = disputes([denial], BLAMES)
    assert {reason for _, _, reason in found} <= {DISPUTE_REASON}
    return sorted(blame for _, blame, _ in found)


def test_a_denial_answers_the_blames_at_its_speaker_said_near_it():
    assert disputed(claim("denial", "2021-04-06T09:00", actor_id="hebergeur")) == [
        "no known day", "three days after", "three days before"]


def test_or_at_its_organisation():
    assert disputed(claim("denial", "2021-04-06", actor_id="directeur", organisation_id="hebergeur")) == [
        "no known day", "three days after", "three days before"]


def test_said_on_no_known_day_it_answers_any_and_on_no_date_only_those_of_no_known_day():
    assert disputed(claim("denial", None, actor_id="hebergeur")) == [
        "four days after", "no date", "no known day", "three days after", "three days before"]
    assert disputed(claim("denial", "hier", actor_id="hebergeur")) == ["no known day"]


def test_a_statement_does_not_dispute_itself():
    assert disputed(claim("three days after", "2021-04-09", actor_id="hebergeur")) == [
        "four days after", "no known day"]


def statement(statement_id, said_at, text="", title="", actor_id=None, organisation_id=None):
    return {"id": statement_id, "said_at": said_at, "text": text, "title": title,
            "actor_id": actor_id, "organisation_id": organisation_id}


def test_an_incident_holds_what_was_said_within_its_days_naming_it_or_by_its_actors():
    incidents = [{"id": "panne", "start": "2021-04-06", "end": "2021-04-08", "keywords": ["Panne"],
                  "actors": ["hebergeur"]},
                 {"id": "sans fin", "start": "2021-04-20", "keywords": ["panne"]}]
    statements = [statement("first day", "2021-04-06T08:00", text="la panne continue"),
                  statement("last day", "2021-04-08", title="Une PANNE générale"),
                  statement("day after", "2021-04-09", text="la panne"),
                  statement("by a member", "2021-04-07", actor_id="directeur", organisation_id="hebergeur"),
                  statement("of nothing", "2021-04-07", text="il fait beau"),
                  statement("no day", None, text="la panne"),
                  statement("fourteen days on", "2021-05-04", text="une panne"),
                  statement("fifteen days on", "2021-05-05", text="une panne")]
    assert sorted(incident_links(incidents, statements)) == [
        ("panne", "by a member"), ("panne", "first day"), ("panne", "last day"),
        ("sans fin", "fourteen days on")]

"""Events from the wording of wire copy: quotes, clauses and the actors they name.

The sentences are invented; the places are the hand-made towns of ``test_events``.
"""

from __future__ import annotations

import pandas as pd
import pytest
from test_events import _events, _report


@pytest.mark.parametrize("quoted", ["‘secured’", "'secured'", '"secured"', "“secured”"])
def test_a_verb_in_scare_quotes_is_still_the_verb(quoted):
    ev = _events(_report(f"Rebel radio said the Taliban had {quoted} Ardmore on Monday."))
    row = ev[ev["effect"] == "capture"].iloc[0]
    assert (row.location, row.actor1, row.target) == ("Ardmore", "Taliban", "whole")


def _capture(sentence: str):
    ev = _events(_report(sentence))
    return ev[ev["effect"] == "capture"]


@pytest.mark.parametrize(
    ("sentence", "actor1"),
    [
        ("Ardmore is held by government troops.", "Military Forces of Afghanistan"),
        ("Ardmore, held by Taliban fighters, was quiet on Monday.", "Taliban"),
        ("The town of Ardmore is still held by the Taliban.", "Taliban"),
        ("Ardmore, the provincial capital, is held by the Taliban.", "Taliban"),
        ("The Taliban now hold Ardmore.", "Taliban"),
        ("The Taliban have held Ardmore since Monday.", "Taliban"),
    ],
)
def test_a_place_held_by_an_armed_side_is_theirs(sentence, actor1):
    rows = _capture(sentence)
    assert (rows.iloc[0].location, rows.iloc[0].actor1, rows.iloc[0].target) == (
        "Ardmore",
        actor1,
        "whole",
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Peace talks held by the United Nations in Ardmore ended on Monday.",
        "A ceremony was held by the army in Ardmore on Monday.",
        "In Ardmore, a ceremony was held by the army on Monday.",
        "Two hostages held by the Taliban near Ardmore were freed.",
        "Talks in Ardmore were held by the Taliban and the government.",
    ],
)
def test_held_by_that_is_no_hold_on_a_place(sentence):
    assert _capture(sentence).empty


def test_a_state_is_no_passive():
    # "were in full control of X": the side before is the holder, not the side acted on
    rows = _capture("Taliban fighters were in full control of Ardmore by Monday evening.")
    assert (rows.iloc[0].actor1, rows.iloc[0].target) == ("Taliban", "whole")


@pytest.mark.parametrize(
    ("sentence", "effect"),
    [
        ("Ardmore came under Taliban control on Monday.", "capture"),
        ("Ardmore remains in the hands of the Taliban.", "capture"),
        ("Troops withdrew from Ardmore on Monday night.", "withdraw"),
    ],
)
def test_linking_words_leave_the_whole_place(sentence, effect):
    ev = _events(_report(sentence))
    assert ev[ev["effect"] == effect]["target"].tolist() == ["whole"]


def test_a_side_of_a_place_is_part_of_it():
    ev = _events(_report("Troops withdrew from Ardmore's east on Monday."))
    assert ev[ev["effect"] == "withdraw"]["target"].tolist() == ["part"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Residents fled Ardmore on Monday as fighting reached the town.",
        "Residents withdrew their savings in Ardmore on Monday.",
    ],
)
def test_unarmed_people_are_no_party_to_a_battle(sentence):
    ev = _events(_report("The army patrolled Carrow.\n" + sentence))
    ev = ev[ev["location"] == "Ardmore"]
    assert not ev["effect"].isin(["capture", "withdraw"]).any()
    assert ev["actor1"].isna().all()
    assert not ev["event_type"].eq("Violence against civilians").any()


def test_those_who_tell_are_no_party():
    rows = _capture("The Taliban now hold Ardmore, residents said.")
    assert pd.isna(rows.iloc[0].actor2)


def test_words_a_rule_leaves_for_want_of_its_actor_are_free_for_another():
    # "withdrew" alone is a state's handover; "withdrew from" any armed side's leaving
    ev = _events(_report("The Taliban withdrew from Ardmore on Monday."))
    rows = ev[ev["effect"] == "withdraw"]
    assert (rows.iloc[0].actor1, rows.iloc[0].location) == ("Taliban", "Ardmore")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Rebels attacked Ardmore on Monday. The next day they captured the town.", "2021-07-06"),
        (
            "Rebels attacked Ardmore on Monday. Two days later, the Taliban took Ardmore.",
            "2021-07-07",
        ),
        # "ago" counts from the report, whatever the sentence before says
        ("Rebels attacked Ardmore on Monday. The Taliban took Ardmore two days ago.", "2021-07-05"),
    ],
)
def test_the_next_day_counts_from_the_day_the_sentence_before_told(text, day):
    ev = _events(_report(text))
    assert ev[ev["effect"] == "capture"]["event_date"].dt.strftime("%Y-%m-%d").tolist() == [day]


def test_a_place_that_fell_in_a_relative_clause_fell_whole():
    rows = _capture("Ardmore, which fell to the Taliban on Sunday, was calm on Tuesday.")
    assert (rows.iloc[0].actor1, rows.iloc[0].target) == ("Taliban", "whole")


def test_a_leading_participle_takes_the_subject_after_it_as_its_agent():
    rows = _capture("After capturing Ardmore on Sunday, the Taliban moved on.")
    assert (rows.iloc[0].actor1, rows.iloc[0].location) == ("Taliban", "Ardmore")
    assert pd.isna(rows.iloc[0].actor2)
    # a noun inside such a clause is no participle: its agent is not the subject after it
    ev = _events(_report("Helped by air strikes on Ardmore, the Taliban moved on."))
    assert not (ev["actor1"] == "Taliban").any()


def test_a_relative_clause_between_a_place_and_its_verb():
    ev = _capture(
        "Ardmore, which the Taliban seized in May, was recaptured by government forces on Sunday."
    )
    now = ev[ev["event_date"].notna()].iloc[0]
    assert (now.actor1, now.target) == ("Military Forces of Afghanistan", "whole")
    # the clause's own capture keeps its own agent, not the main clause's "by"
    assert set(ev["actor1"]) == {"Military Forces of Afghanistan", "Taliban"}
    # nor is a place with a long clause after it the subject of another clause's verb
    text = "Ardmore, which the army had held since 2011, stood firm while all the areas around were lost to the rebels."
    assert _capture(text).empty


@pytest.mark.parametrize(
    "text",
    [
        "Rebels attacked Ardmore on Monday and captured it by nightfall.",
        "Troops shelled Ardmore on Monday. Rebel fighters seized it hours later.",
        "The Taliban besieged Ardmore for a week. On Monday they took control of it.",
    ],
)
def test_it_after_a_verb_of_taking_is_the_place_named_last(text):
    rows = _capture(text)
    assert (rows.iloc[0].location, rows.iloc[0].target, str(rows.iloc[0].event_date)[:10]) == (
        "Ardmore",
        "whole",
        "2021-07-05",
    )


@pytest.mark.parametrize(
    "text",
    [
        "The Taliban took it to the courts in Ardmore on Monday.",
        "Fighting in Ardmore ended. Officials held it responsible for the delay.",
        "Rebels shelled Ardmore on Monday. A resident captured it on camera.",
    ],
)
def test_it_that_is_no_place_taken_is_no_capture(text):
    assert _capture(text).empty


def test_a_date_after_the_verb_beats_one_of_an_earlier_predicate():
    rows = _capture(
        "Rebels stormed Ardmore on Sunday and took control of the town early on Monday."
    )
    assert str(rows.iloc[0].event_date)[:10] == "2021-07-05"


def test_an_appositive_ending_with_a_region_word_leaves_its_head():
    # "state" outside the province's name, lower case: the town is the subject
    rows = _capture(
        "Ardmore, the largest town in northern Kellswater state, fell to the Taliban on Monday."
    )
    assert rows["location"].tolist() == ["Ardmore"]


def test_a_claim_and_its_denial_in_one_sentence_are_one_disputed_capture():
    rows = _capture(
        "The army said it had retaken Ardmore on Tuesday, but the Taliban denied the town"
        " had fallen."
    )
    assert (len(rows), rows.iloc[0].actor1, rows.iloc[0].claim_status) == (
        1,
        "Military Forces of Afghanistan",
        "claimed",
    )


@pytest.mark.parametrize(
    ("denial", "status"),
    [
        ("The army denied the claim.", "claimed"),
        ("A government spokesman dismissed the reports as false.", "claimed"),
        ("The army denied responsibility for a strike on a market.", "reported"),
    ],
)
def test_a_denial_of_what_was_told_disputes_the_capture_before_it(denial, status):
    rows = _capture(f"Rebels captured Ardmore on Tuesday, residents said. {denial}")
    assert rows["claim_status"].tolist() == [status]


def test_a_denial_two_sentences_later_is_not_of_that_capture():
    rows = _capture(
        "Rebels captured Ardmore on Tuesday. Shops stayed closed. The army denied the claim."
    )
    assert rows["claim_status"].tolist() == ["reported"]


@pytest.mark.parametrize(
    ("text", "actor1"),
    [
        # the group named before, or the one fought, is not the described ally
        (
            "The Taliban attacked Birchfield. Iran-backed militias seized Ardmore from the"
            " Taliban on Monday.",
            "Unidentified Armed Group (Afghanistan)",
        ),
        (
            "Militias seized Ardmore from the Taliban on Monday.",
            "Unidentified Armed Group (Afghanistan)",
        ),
        (
            "Taliban-aligned fighters took control of Ardmore.",
            "Unidentified Armed Group (Afghanistan)",
        ),
        # a group named between the description and the word is that group
        ("US-backed Taliban fighters captured Ardmore on Monday.", "Taliban"),
        # a headline's "rebels" is still the group the report names
        ("Rebels seize Ardmore\n\nThe Taliban captured Ardmore on Monday.", "Taliban"),
    ],
)
def test_a_group_described_as_another_s_ally_or_foe_is_not_that_group(text, actor1):
    assert _capture(text).iloc[0].actor1 == actor1


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        ("Militants captured Ardmore from the Taliban on Sunday, a monitor said.", "reported"),
        ("The Taliban captured Ardmore on Sunday, witnesses said.", "reported"),
        ("The Taliban, in a statement, said they had captured Ardmore.", "claimed"),
        ("The Taliban said they captured Ardmore on Sunday.", "claimed"),
    ],
)
def test_the_speaker_after_a_comma_is_not_the_group_before_it(sentence, status):
    assert _capture(sentence).iloc[0].claim_status == status


@pytest.mark.parametrize(
    "sentence",
    [
        "The Taliban attacked government positions and captured Ardmore on Monday.",
        "The Taliban overran an army base near Birchfield after clashes, and took over Ardmore.",
        "The Taliban attacked the army and police and then captured Ardmore.",
    ],
)
def test_a_second_verb_shares_the_subject_of_the_first(sentence):
    rows = _capture(sentence)
    assert rows[rows["location"] == "Ardmore"]["actor1"].tolist() == ["Taliban"]


def test_its_troops_are_those_of_the_state_named_before():
    rows = _capture("Pakistan's defence ministry said its troops had taken Ardmore on Monday.")
    assert rows.iloc[0].actor1 == "Military Forces of Pakistan"


@pytest.mark.parametrize(
    "sentence",
    [
        "The government said on Monday it had withdrawn its troops from the town of Ardmore.",
        "The army pulled its forces out of Ardmore on Monday.",
        "Government forces withdrew their last soldiers from Ardmore on Monday.",
    ],
)
def test_withdrawing_ones_troops_from_a_place_leaves_all_of_it(sentence):
    ev = _events(_report(sentence))
    rows = ev[ev["effect"] == "withdraw"]
    assert (rows["location"].tolist(), rows["target"].tolist()) == (["Ardmore"], ["whole"])


def test_a_side_of_a_place_taken_is_part_of_it():
    rows = _capture("Taliban fighters seized the Ardmore side of the bridge on Monday.")
    assert rows["target"].tolist() == ["part"]


def test_a_country_s_tanks_are_its_forces():
    rows = _capture("Pakistani tanks seized Ardmore on Monday.")
    assert rows.iloc[0].actor1 == "Military Forces of Pakistan"


def test_a_region_named_after_a_comma_holds_the_place_taken():
    # "X, Y state": Y is where X lies, not a second place taken
    rows = _capture("Rebels captured Ardmore, Kellswater state, on Monday.")
    assert rows["location"].tolist() == ["Ardmore"]


def test_a_quarter_of_a_place_is_part_of_it():
    rows = _capture("The army regained control of Ardmore's old city on Monday.")
    assert rows["target"].tolist() == ["part"]


@pytest.mark.parametrize(
    ("sentence", "actor1", "target"),
    [
        ("The Taliban assumed control of Ardmore on Monday.", "Taliban", "whole"),
        ("The Taliban established control over Ardmore on Monday.", "Taliban", "whole"),
        ("The army recovered Ardmore on Monday.", "Military Forces of Afghanistan", "whole"),
        ("Government forces lost Ardmore to the Taliban on Monday.", "Taliban", "whole"),
        ("The Taliban marched into Ardmore on Monday.", "Taliban", "part"),
    ],
)
def test_more_words_for_a_change_of_hands(sentence, actor1, target):
    rows = _capture(sentence)
    assert (rows.iloc[0].actor1, rows.iloc[0].target) == (actor1, target)


@pytest.mark.parametrize(
    "sentence",
    [
        "Police recovered weapons in Ardmore on Monday.",
        "The army lost Major Khan to a Taliban ambush near Ardmore.",
    ],
)
def test_recovered_things_and_lost_officers_are_no_change_of_hands(sentence):
    assert _capture(sentence).empty


def test_a_date_in_a_relative_clause_is_not_the_main_verbs():
    rows = _capture(
        "Ardmore, which the Taliban captured in 2014, remains under government control."
    )
    state = rows[rows["actor1"] == "Government of Afghanistan"]
    assert (str(state.iloc[0].event_date)[:10], state.iloc[0].date_origin) == (
        "2021-07-07",
        "report",
    )


def test_early_this_month_names_no_day():
    rows = _capture("The Taliban have held Ardmore since early this month.")
    assert (rows.iloc[0].time_precision, pd.isna(rows.iloc[0].event_date)) == (3, True)


def test_an_unknown_name_taken_is_not_a_place_another_verb_names():
    text = "The army had retaken Hitt two weeks ago and was preparing to move on Ardmore."
    assert _capture(text).empty
    # a place that says where the unknown one lies still places it, in part
    rows = _capture("The Taliban captured Minova on Monday, 40 km from Ardmore.")
    assert (rows.iloc[0].location, rows.iloc[0].target) == ("Ardmore", "part")


def test_a_capture_told_again_without_a_date_keeps_the_earlier_day():
    rows = _capture(
        "The Taliban seized the army base in Ardmore on Monday. The Taliban later said"
        " they had taken full control of the town."
    )
    whole = rows[rows["target"] == "whole"].iloc[0]
    assert (str(whole.event_date)[:10], whole.date_origin) == (
        "2021-07-05",
        "earlier sentence: Monday",
    )


@pytest.mark.parametrize(
    ("sentence", "target"),
    [
        ("Ardmore is controlled by the Taliban.", "whole"),
        ("The Taliban control Ardmore.", "whole"),
        ("The Taliban controls most of Ardmore.", "part"),
        ("Ardmore is in Taliban hands.", "whole"),
    ],
)
def test_a_place_the_taliban_control_is_theirs(sentence, target):
    rows = _capture(sentence)
    assert (rows.iloc[0].actor1, rows.iloc[0].target) == ("Taliban", target)


@pytest.mark.parametrize(
    "sentence",
    [
        "The road from Birchfield to Ardmore has been in Taliban hands since Sunday.",
        "The road from Birchfield to Ardmore has been under Taliban control since Sunday.",
        "The army failed to hold Ardmore.",
        "Weapons fell in the wrong hands in Ardmore.",
    ],
)
def test_no_hold_on_a_place_named_after_a_preposition_or_hoped_for(sentence):
    assert _capture(sentence).empty


def test_the_districts_of_a_province_fallen_are_part_of_it():
    rows = _capture("All the districts of Dunmore Province have fallen to the Taliban.")
    assert (rows.iloc[0].location, rows.iloc[0].target) == ("Dunmore Province", "part")


def test_a_generic_word_right_after_a_named_group_is_that_group():
    rows = _capture("The Taliban attacked Birchfield on Sunday. Houthi fighters seized Ardmore.")
    assert rows.iloc[0].actor1 == "Houthi Movement"


def test_a_week_after_the_rebels_took_it_counts_back_from_the_sentences_day():
    rows = _capture(
        "Troops recaptured Ardmore on Monday, the army said, a week after the Taliban"
        " overran the town."
    )
    taken = rows[rows["actor1"] == "Taliban"].iloc[0]
    assert (str(taken.event_date)[:10], taken.time_precision) == ("2021-06-28", 2)


@pytest.mark.parametrize(
    "sentence",
    [
        "The Taliban attacked the airport in Ardmore on Monday and seized it.",
        "The Taliban attacked Ardmore airport on Monday and seized it.",
    ],
)
def test_it_after_a_thing_at_a_place_is_the_thing(sentence):
    assert _capture(sentence)["target"].tolist() == ["part"]


def test_unknown_names_listed_near_a_place_are_still_placed_there():
    rows = _capture("Rebels captured Minova and Bweremana, near Ardmore, on Monday.")
    assert (rows.iloc[0].location, rows.iloc[0].target) == ("Ardmore", "part")

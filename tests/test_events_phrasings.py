"""Events from the phrasings of real writing: verb forms, states, motion, nouns, and who
acts (the passive voice, a side losing a place)."""

from __future__ import annotations

import pytest

from tests.conftest import invented_events as _events
from tests.conftest import invented_report as _report

# --- phrasings of real writing: generated verb forms, states, motion, nouns -------------


@pytest.mark.parametrize(
    ("sentence", "sub_event_type", "target"),
    [
        ("Rebels have taken over Ardmore.", "Non-state actor overtakes territory", "whole"),
        ("Ardmore falls to the rebels.", "Non-state actor overtakes territory", "whole"),
        ("Ardmore is overrun by insurgents.", "Non-state actor overtakes territory", "whole"),
        ("Ardmore has fallen.", "Non-state actor overtakes territory", "whole"),
        ("Ardmore is now under rebel control.", "Non-state actor overtakes territory", "whole"),
        (
            "Ardmore fell into rebel hands on Monday.",
            "Non-state actor overtakes territory",
            "whole",
        ),
        ("Troops pushed the militants from Ardmore.", "Government regains territory", "whole"),
        ("Soldiers won back Ardmore.", "Government regains territory", "whole"),
        ("The army announced the liberation of Ardmore.", "Government regains territory", "whole"),
        ("Soldiers entered Ardmore at dawn.", "Government regains territory", "part"),
        ("Rebels hoisted their flag over Ardmore.", "Non-state actor overtakes territory", "whole"),
        ("Rebels captured the Ardmore airport.", "Non-state actor overtakes territory", "part"),
        ("The rebels fled Ardmore overnight.", "Non-violent transfer of territory", "whole"),
        ("Rebels took Ardmore on Sunday.", "Non-state actor overtakes territory", "whole"),
        ("Rebels have taken the town of Ardmore.", "Non-state actor overtakes territory", "whole"),
        ("The rebels claimed control of Ardmore.", "Non-state actor overtakes territory", "whole"),
    ],
)
def test_phrasings_of_a_change_of_control(sentence, sub_event_type, target):
    ev = _events(_report(sentence))
    ev = ev[ev["effect"].isin(["capture", "withdraw"])]
    assert len(ev) == 1, sentence
    assert (ev.iloc[0].sub_event_type, ev.iloc[0].target) == (sub_event_type, target)
    assert ev.iloc[0].location == "Ardmore"


def test_verb_forms_are_generated_not_listed():
    from geo.events.rules import verb_forms

    assert {"take", "takes", "took", "taken", "taking"} <= set(verb_forms("take"))
    with pytest.raises(ValueError, match="not an English verb"):
        verb_forms("qzxv")


@pytest.mark.parametrize(
    "sentence",
    [
        "Rebels took hostages in Ardmore on Sunday.",
        "The handover took place in Ardmore on Sunday.",
    ],
)
def test_take_with_another_object_is_no_change(sentence):
    ev = _events(_report(sentence))
    assert not ev["effect"].isin(["capture", "withdraw"]).any(), sentence


def test_the_province_named_after_a_town_holds_it_and_is_not_taken_too():
    ev = _events(_report("Rebels captured a base in Carrow, Dunmore Province, on Monday."))
    assert list(ev["location"]) == ["Carrow"]
    ev = _events(_report("Rebels captured Carrow and Dunmore Province on Monday."))
    assert sorted(ev["location"]) == ["Carrow", "Dunmore Province"]


def test_without_a_fight_is_no_fight():
    ev = _events(_report("Rebels entered Ardmore without a fight."))
    assert list(ev["effect"]) == ["capture"]


def test_a_withdrawal_across_a_river_is_not_from_the_town_of_its_name():
    ev = _events(_report("Rebels entered Ardmore after the army withdrew across the Carrow river."))
    assert "Carrow" not in set(ev["location"]), ev[["location", "effect"]]
    assert (ev["location"] == "Ardmore").any()


def test_residents_fleeing_is_not_a_withdrawal():
    ev = _events(_report("Residents fled Ardmore on Monday."))
    assert not (ev["effect"] == "withdraw").any()


def test_a_party_saying_it_holds_a_place_is_not_a_change():
    ev = _events(_report('"Ardmore is under our control," the governor said.'))
    assert not (ev["effect"] == "capture").any()


# --- who acts: the passive voice, a side losing a place ------------------------------------


@pytest.mark.parametrize(
    ("sentence", "sub_event_type", "actor1", "actor2"),
    [
        # the subject of a passive verb is acted on; the agent follows "by"
        (
            "Insurgents were driven out of Ardmore by army commandos on Monday.",
            "Government regains territory",
            "Military Forces of Afghanistan",
            "Unidentified Armed Group (Afghanistan)",
        ),
        (
            "The militants have been pushed out of Ardmore, officials said.",
            "Government regains territory",
            None,
            "Unidentified Armed Group (Afghanistan)",
        ),
        # a side that loses a place is actor2; the one it loses it to is actor1
        (
            "Security forces lost control of Ardmore to the Taliban on Monday.",
            "Non-state actor overtakes territory",
            "Taliban",
            "Military Forces of Afghanistan",
        ),
        (
            "The army lost control of Ardmore on Monday.",
            "Non-state actor overtakes territory",
            None,
            "Military Forces of Afghanistan",
        ),
        # the acronym "IS" before a verb is the group, not the verb "is"
        (
            "IS seized Ardmore on Monday.",
            "Non-state actor overtakes territory",
            "Islamic State",
            None,
        ),
    ],
)
def test_the_side_acted_on_is_never_the_agent(sentence, sub_event_type, actor1, actor2):
    ev = _events(_report(sentence))
    captures = ev[ev["effect"] == "capture"]
    assert len(captures) == 1, ev[["sub_event_type", "actor1", "actor2"]]
    row = captures.iloc[0]
    assert row.sub_event_type == sub_event_type
    assert (row.actor1 if isinstance(row.actor1, str) else None) == actor1
    assert (row.actor2 if isinstance(row.actor2, str) else None) == actor2
    assert row.location == "Ardmore"


def test_a_loser_named_before_is_not_the_captor_by_context():
    # The army is the actor of the sentence before; the sentence that tells the loss
    # names no one to whom it was lost: the army is not made its captor.
    ev = _events(_report("The army shelled Birchfield. It lost control of Ardmore on Monday."))
    captures = ev[ev["effect"] == "capture"]
    assert len(captures) == 1
    assert captures.iloc[0].actor1 != "Military Forces of Afghanistan"


def test_a_place_handed_over_passes_to_the_side_named_after_to():
    ev = _events(_report("Rebels handed over Ardmore to the army on Monday."))
    row = ev[ev["effect"] == "capture"].iloc[0]
    assert (row.event_type, row.sub_event_type) == (
        "Strategic developments",
        "Non-violent transfer of territory",
    )
    assert (row.actor1, row.actor2) == (
        "Military Forces of Afghanistan",
        "Unidentified Armed Group (Afghanistan)",
    )
    # not a place handed over: the suspects were
    assert (
        _events(_report("Police handed over the suspects to prosecutors in Ardmore."))["effect"]
        .ne("capture")
        .all()
    )


@pytest.mark.parametrize(
    ("sentence", "partial"),
    [
        ("Ardmore returned to government control on Monday.", False),
        ("Army commandos re-entered Ardmore on Monday.", True),
    ],
)
def test_a_place_back_in_government_hands(sentence, partial):
    ev = _events(_report(sentence))
    row = ev[ev["effect"] == "capture"].iloc[0]
    assert row.sub_event_type == "Government regains territory"
    assert row.location == "Ardmore"
    assert (row.target == "part") == partial


def test_a_side_that_now_controls_a_place_holds_it():
    ev = _events(_report("The Taliban now control Ardmore, residents said."))
    row = ev[ev["effect"] == "capture"].iloc[0]
    assert (row.actor1, row.location, row.target) == ("Taliban", "Ardmore", "whole")
    # a denial or a share of a country is no control of a place
    assert _events(_report("The army does not control Ardmore."))["effect"].ne("capture").all()


@pytest.mark.parametrize(
    ("sentence", "sub_event_type", "actor1"),
    [
        (
            "Ardmore was taken by the Taliban on Monday.",
            "Non-state actor overtakes territory",
            "Taliban",
        ),
        (
            "Ardmore was lost to the Taliban on Monday.",
            "Non-state actor overtakes territory",
            "Taliban",
        ),
        ("Ardmore changed hands on Monday.", "Non-state actor overtakes territory", None),
        (
            "The Taliban wrested control of Ardmore on Monday.",
            "Non-state actor overtakes territory",
            "Taliban",
        ),
        (
            "Security forces surrendered Ardmore to the Taliban on Monday.",
            "Non-violent transfer of territory",
            "Taliban",
        ),
    ],
)
def test_more_ways_a_place_changes_hands(sentence, sub_event_type, actor1):
    ev = _events(_report(sentence))
    row = ev[ev["effect"] == "capture"].iloc[0]
    assert (row.sub_event_type, row.location) == (sub_event_type, "Ardmore")
    assert (row.actor1 if isinstance(row.actor1, str) else None) == actor1


@pytest.mark.parametrize(
    "sentence",
    [
        "The wounded were taken to hospital in Ardmore.",
        "Two men were taken hostage in Ardmore on Monday.",
        "Three soldiers were lost to enemy fire in Ardmore.",
    ],
)
def test_taken_and_lost_that_change_no_hands(sentence):
    assert _events(_report(sentence))["effect"].ne("capture").all()


def test_a_loss_without_a_named_subject_is_not_the_nearest_place():
    text = "Ardmore, which the army had held since 2011, stood firm while all the areas around were lost to the rebels."
    assert _events(_report(text))["effect"].ne("capture").all()
    # a subject that refers to the place still takes the place of its sentence
    ev = _events(_report("Under rebel control since May, Ardmore was quiet on Monday."))
    assert (ev["effect"] == "capture").any()


@pytest.mark.parametrize(
    "sentence",
    [
        "Police seized weapons in Ardmore on Monday.",
        "Rebels captured two soldiers near Ardmore on Monday.",
        "Prosecutors took over the investigation in Ardmore.",
        "The Taliban seized the initiative around Ardmore.",
    ],
)
def test_a_capture_of_a_thing_is_no_capture_of_its_place(sentence):
    assert _events(_report(sentence))["effect"].ne("capture").all()


def test_a_capture_of_ground_short_of_the_place_is_a_partial_one():
    ev = _events(_report("The Taliban overran army posts near Ardmore on Monday."))
    row = ev[ev["effect"] == "capture"].iloc[0]
    assert (row.location, row.target) == ("Ardmore", "part")


@pytest.mark.parametrize(
    ("sentence", "sub_event_type"),
    [
        # the state's forces lost the place, no captor named: not the government's gain
        (
            "Army troops were forced out of Ardmore on Monday.",
            "Non-state actor overtakes territory",
        ),
        # the state's forces only say so, after the fact
        ("Ardmore was recaptured, the army said on Monday.", "Government regains territory"),
    ],
)
def test_a_capture_without_a_captor_takes_its_type_from_the_side_that_lost(
    sentence, sub_event_type
):
    ev = _events(_report(sentence))
    assert ev[ev["effect"] == "capture"]["sub_event_type"].tolist() == [sub_event_type]

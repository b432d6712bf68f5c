"""Dating events: relative expressions read against the report date."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.dates import DAY, MONTH, WEEK, resolve_date

WED = dt.date(2021, 7, 7)  # a Wednesday
MON = dt.date(2021, 8, 16)  # a Monday


@pytest.mark.parametrize(
    ("sentence", "report_date", "expected", "precision"),
    [
        ("Gunmen struck a checkpoint on Wednesday.", WED, WED, DAY),
        ("Gunmen struck a checkpoint on Monday.", WED, dt.date(2021, 7, 5), DAY),
        ("Gunmen struck a checkpoint on Thursday.", WED, dt.date(2021, 7, 1), DAY),
        ("The town fell last Wednesday.", WED, dt.date(2021, 6, 30), DAY),
        ("The town fell on Sunday.", MON, dt.date(2021, 8, 15), DAY),
        ("Troops withdrew at night.", WED, WED, DAY),
        ("Troops withdrew overnight.", WED, dt.date(2021, 7, 6), DAY),
        ("The base was shelled yesterday.", WED, dt.date(2021, 7, 6), DAY),
        ("Talks resume today.", WED, WED, DAY),
        ("Convoys left the valley last week.", WED, dt.date(2021, 6, 30), WEEK),
        ("Raids grew in number last month.", WED, dt.date(2021, 6, 15), MONTH),
        ("The pullout began in early May.", WED, dt.date(2021, 5, 5), MONTH),
        ("Attacks rose from mid-April.", WED, dt.date(2021, 4, 15), MONTH),
        ("Supplies ran out in late June.", WED, dt.date(2021, 6, 25), MONTH),
        ("The bridge was blown up on August 12.", MON, dt.date(2021, 8, 12), DAY),
        ("The bridge was blown up on 12 August.", MON, dt.date(2021, 8, 12), DAY),
        # Never in the future of the report: a later day of the year is last year's.
        ("The bridge was blown up on August 20.", MON, dt.date(2020, 8, 20), DAY),
        ("The bridge was blown up on 3 May 2019.", MON, dt.date(2019, 5, 3), DAY),
        ("The strike came hours after the vote.", WED, WED, DAY),
        ("Nothing here says when.", WED, WED, DAY),
        ("The post was overrun two days ago.", MON, dt.date(2021, 8, 14), DAY),
        ("The post was overrun 10 days ago.", MON, dt.date(2021, 8, 6), DAY),
        ("The post was overrun earlier this month.", MON, dt.date(2021, 8, 15), MONTH),
        ("The post was overrun earlier this month.", WED, WED, MONTH),
        # A weekday named with its date is that date, not the last such weekday.
        ("Rebels took the pass on Saturday, 5 June.", MON, dt.date(2021, 6, 5), DAY),
        ("Rebels took the pass on Saturday June 5, 2021.", MON, dt.date(2021, 6, 5), DAY),
        # "later", "earlier" and "ago" before a clause are dates; "after the vote" is not.
        ("Two days later the army retook the pass.", MON, MON, DAY),
        ("Two days ago the army retook the pass.", MON, dt.date(2021, 8, 14), DAY),
        ("Two weeks ago the army retook the pass.", MON, dt.date(2021, 8, 2), WEEK),
        ("Two days after the vote, the army retook the pass.", MON, MON, DAY),
        # the weekend just past is known to the week; its Saturday stands for it
        ("Rebels took the pass over the weekend.", WED, dt.date(2021, 7, 3), WEEK),
        ("Rebels took the pass at the weekend.", MON, dt.date(2021, 8, 14), WEEK),
        ("Rebels took the pass this week.", WED, WED, WEEK),
        ("Rebels took the pass a fortnight ago.", WED, dt.date(2021, 6, 23), WEEK),
    ],
)
def test_resolve_date(sentence, report_date, expected, precision):
    got = resolve_date(sentence, report_date)
    assert (got.date, got.precision) == (expected, precision)


def test_sentence_date_names_its_words():
    got = resolve_date("Shops reopened on Monday.", WED)
    assert got.origin == "sentence"
    assert "Shops reopened on Monday."[got.start : got.end] == got.expression == "Monday"


def test_no_date_words_take_the_report_date():
    got = resolve_date("Shops reopened.", WED)
    assert (got.origin, got.expression) == ("report", None)


def test_since_is_flagged():
    assert resolve_date("The road has been cut since mid-April.", WED).since
    assert not resolve_date("The road was cut in mid-April.", WED).since


def test_named_anniversary_is_not_a_date():
    got = resolve_date("Their mission began after the September 11 attacks.", WED)
    assert got.origin == "report"


def test_anchor_picks_the_nearest_expression():
    s = "Talks opened on Monday and the town fell on Tuesday."
    assert resolve_date(s, WED, anchor=s.index("fell")).date == dt.date(2021, 7, 6)
    assert resolve_date(s, WED, anchor=s.index("Talks")).date == dt.date(2021, 7, 5)


@pytest.mark.parametrize(
    "sentence", ["The town fell on Tuesday.", "The town fell.", "It fell last week."]
)
def test_report_without_date_gives_no_date(sentence):
    got = resolve_date(sentence, None)
    assert got.date is None and got.precision is None
    assert got.origin in {"none", "unresolved"}


def test_absolute_date_needs_no_report_date():
    got = resolve_date("The town fell on 3 July 2021.", None)
    assert (got.date, got.precision, got.origin) == (dt.date(2021, 7, 3), DAY, "sentence")


def test_impossible_day_is_flagged_not_guessed():
    got = resolve_date("The town fell on 31 June.", WED)
    assert got.date is None and got.origin == "invalid" and got.expression == "31 June"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The garrison gave up a day earlier.", dt.date(2021, 7, 6)),
        ("They left on Monday and came back two days later.", dt.date(2021, 7, 7)),
        ("The next day the road reopened.", dt.date(2021, 7, 7)),
    ],
)
def test_relative_days_never_after_the_report(sentence, expected):
    got = resolve_date(sentence, dt.date(2021, 7, 7), anchor=len(sentence) - 5)
    assert got.date == expected and got.precision == 1


def test_a_bare_year_is_a_year():
    got = resolve_date("Rebels took the city in 1996.", dt.date(2021, 7, 7))
    assert got.date is not None and got.date.year == 1996 and got.precision == 4
    # a year long past is still that year (the event extractor keeps it out of control)
    old = resolve_date("A sultan took the city in 1187.", dt.date(2021, 7, 7))
    assert old.date is not None and old.date.year == 1187 and old.precision == 4
    assert old.expression == "in 1187"


@pytest.mark.parametrize(
    ("sentence", "date", "precision"),
    [
        ("The rebels took the town two weeks ago.", "2024-01-24", 2),
        ("The town fell on the 4th.", "2024-02-04", 1),
        ("The town fell on the 28th, officials said.", "2024-01-28", 1),  # the month before
    ],
)
def test_weeks_ago_and_a_day_of_the_month(sentence, date, precision):
    got = resolve_date(sentence, dt.date(2024, 2, 7))
    assert (got.date, got.precision) == (dt.date.fromisoformat(date), precision)


@pytest.mark.parametrize(
    "sentence", ["The 4th Brigade moved in.", "On the 5th anniversary of the fall, they met."]
)
def test_an_ordinal_that_is_no_date(sentence):
    assert resolve_date(sentence, dt.date(2024, 2, 7)).origin == "report"


@pytest.mark.parametrize(
    ("sentence", "anchor", "expected", "precision"),
    [
        # "the following day" counts from the day the sentence told before it
        (
            "On Friday the militia seized Northgate, and the following day they overran Eastwick.",
            "overran",
            dt.date(2021, 7, 3),
            DAY,
        ),
        # "N days after" opening the event's clause: the event is N days before the other
        (
            "Convoys stalled at the crossing on Monday, three days after gunmen seized it.",
            "seized",
            dt.date(2021, 7, 2),
            DAY,
        ),
        (
            "Troops retook the town on Tuesday, a day after rebels had stormed it.",
            "stormed",
            dt.date(2021, 7, 5),
            DAY,
        ),
        (
            "Troops retook the town on Tuesday, a day after rebels had stormed it.",
            "retook",
            dt.date(2021, 7, 6),
            DAY,
        ),
        # past an apposition's commas, the date of the event's own coordinate clause
        (
            "Rebels took most of Northgate in April, soon after the war began, and captured "
            "Eastwick, the capital of the south, in June.",
            "captured",
            dt.date(2021, 6, 15),
            MONTH,
        ),
        (
            "Rebels took most of Northgate in April, soon after the war began, and captured "
            "Eastwick, the capital of the south, in June.",
            "took",
            dt.date(2021, 4, 15),
            MONTH,
        ),
        # "a week after ..." as "N days after": the verb inside is a week before
        (
            "A week after rebels took the pass, the army struck back on Monday.",
            "took",
            dt.date(2021, 6, 28),
            WEEK,
        ),
        # "a week later" is read forwards, never past the report
        ("Troops entered the town a week later.", "entered", WED, WEEK),
    ],
)
def test_a_date_told_relative_to_another_clause(sentence, anchor, expected, precision):
    d = resolve_date(sentence, WED, anchor=sentence.index(anchor))
    assert (d.date, d.precision) == (expected, precision)


@pytest.mark.parametrize(
    ("sentence", "expected", "precision"),
    [
        ("The port was seized in May last year.", dt.date(2020, 5, 15), MONTH),
        ("The port fell in late March of last year.", dt.date(2020, 3, 25), MONTH),
        ("Rebels have held the port since last year.", dt.date(2020, 7, 1), 4),
    ],
)
def test_last_year(sentence, expected, precision):
    d = resolve_date(sentence, WED)
    assert (d.date, d.precision) == (expected, precision)


@pytest.mark.parametrize(
    ("sentence", "anchor", "expected", "precision"),
    [
        # the dateline dates the filing; the sentence's own day wins, read against it
        (
            "NORTHGATE, July 4 (Wire) - Rebels entered the town on Friday, residents said.",
            "entered",
            dt.date(2021, 7, 2),
            DAY,
        ),
        (
            "NORTHGATE, Land of Hills, July 4 (Wire) - Rebels entered the town on Friday.",
            "entered",
            dt.date(2021, 7, 2),
            DAY,
        ),
        ("July 4 (Wire) - Rebels entered the town on Friday.", "entered", dt.date(2021, 7, 2), DAY),
        # a dateline alone still dates the sentence
        (
            "NORTHGATE, July 4 (Wire) - Rebels entered the town.",
            "entered",
            dt.date(2021, 7, 4),
            DAY,
        ),
    ],
)
def test_datelines(sentence, anchor, expected, precision):
    d = resolve_date(sentence, WED, anchor=sentence.index(anchor))
    assert (d.date, d.precision) == (expected, precision)


@pytest.mark.parametrize(
    ("sentence", "year", "precision"),
    [
        ("Rebels first seized the port in a 2015 offensive.", 2015, 4),
        ("The port fell during the 2016 battle for the coast.", 2016, 4),
        ("Troops retook the port in the spring of 2016.", 2016, 4),
        ("Troops retook the port in late 2016.", 2016, 4),
        ("Rebels seized the port years ago.", 2019, 4),
        ("Rebels last seized the port six years ago.", 2015, 4),
        ("Rebels seized the port three months ago.", 2021, MONTH),
    ],
)
def test_background_is_never_the_report_day(sentence, year, precision):
    d = resolve_date(sentence, WED)
    assert (d.date.year, d.precision) == (year, precision)


def test_a_year_to_come_named_is_no_date():
    d = resolve_date("Rebels seized the port ahead of the 2022 elections.", WED)
    assert (d.date, d.origin) == (WED, "report")


FEB = dt.date(2024, 2, 18)  # winter under way, last summer behind


@pytest.mark.parametrize(
    ("sentence", "expected", "precision"),
    [
        # a month named with "last": the latest such month before the report's own
        ("The militia recaptured the village last August.", dt.date(2023, 8, 15), MONTH),
        ("The village, lost the previous March, was retaken.", dt.date(2023, 3, 15), MONTH),
        ("The garrison left last February.", dt.date(2023, 2, 15), MONTH),
        ("The garrison left this past January.", dt.date(2024, 1, 15), MONTH),
        # seasons: known to the year, never the report's day
        ("Rebels overran the post last summer.", dt.date(2023, 7, 15), 4),
        ("Rebels overran the post last fall.", dt.date(2023, 10, 15), 4),
        ("Rebels overran the post last winter.", dt.date(2023, 1, 15), 4),
        ("Rebels overran the post in the autumn.", dt.date(2023, 10, 15), 4),
        ("Rebels overran the post in summer 2022.", dt.date(2022, 7, 15), 4),
        ("Rebels overran the post during the spring of 2019.", dt.date(2019, 4, 15), 4),
        ("Rebels overran the post earlier this year.", dt.date(2024, 1, 25), 4),
        ("Rebels overran the post this past weekend.", dt.date(2024, 2, 17), WEEK),
    ],
)
def test_months_and_seasons_told_without_a_year(sentence, expected, precision):
    d = resolve_date(sentence, FEB)
    assert (d.date, d.precision) == (expected, precision)


@pytest.mark.parametrize(
    "sentence",
    [
        "Rebels overran the post this winter.",  # under way: the report's day
        "Officials fear a new offensive this summer.",  # to come
        "Their last march on the capital failed.",  # a march, not March
        "Many died in the fall of the city.",  # a fall, not autumn
        "The spring offensive stalled.",  # no season told as a time
    ],
)
def test_words_of_seasons_and_months_that_date_nothing(sentence):
    d = resolve_date(sentence, FEB)
    assert (d.date, d.precision, d.origin) == (FEB, DAY, "report")

"""Dating events from a sentence's own words and the report's date.

A sentence says "on Wednesday", "last week", "in early May" or "on August 12";
the report says when it was published. :func:`resolve_date` turns the two into
an ``event_date`` and ACLED's ``time_precision``:

* ``1`` the day is known,
* ``2`` the week is known (the date is a representative day of that week),
* ``3`` only the month is known (the date is a representative day of that month:
  the 5th for "early", the 15th for "mid" or a bare month, the 25th for "late").

Rules (each documented in ``docs/events.md``):

* Weekdays are resolved backwards from the report date; the report's own
  weekday means the report day ("on Wednesday" in a Wednesday report).
* A day and month without a year take the report's year, rolled back a year if
  that would put the event after the report (events are reported after they
  happen).
* "yesterday", "last night" and "overnight" are the day before the report;
  "today", "tonight", "this morning" and "at night" the report day.
* "last week" is the report date minus seven days, precision 2; "(earlier) this week" the
  report day, "over the weekend" the last Saturday up to the report, "a fortnight ago"
  minus 14 days, all precision 2.
* "last year" is the year before the report's (precision 4, no day); "in May last year"
  that year's May.
* "last month" is the middle of the previous month, precision 3; "earlier this month"
  the report's month (its 15th, or the report day if earlier), precision 3.
* "N days ago" is the report date minus N days, as "N days earlier" is; "N weeks ago"
  minus 7N days, precision 2. "The next day", "a day earlier" count from the nearest date
  the sentence told before them; "N days after" opening the event's clause ("on Monday,
  three days after rebels seized it") puts the event N days before that date.
* Of several dates, the one of the event's clause: between commas, else between the
  joints of coordinate clauses (";", ", and", ", but"…), else the nearest.
* "the 2015 offensive", "the spring of 2016", "late 2015", "six years ago" are years
  (precision 4, no day); "three months ago" precision 3.
* "on the 4th" is that day of the report's month (of the month before when it is later
  than the report's day).
* "hours after" / "hours before" keep the report day.
* A report without a date gives no date: ``event_date`` stays missing and
  ``origin`` says ``"none"``. Nothing is made up.
"""

from __future__ import annotations

from geo.dates.expressions import DAY, MONTH, WEEK, YEAR, find_date_expressions
from geo.dates.resolve import EventDate, needs_previous_day, resolve_date

__all__ = [
    "DAY",
    "MONTH",
    "WEEK",
    "YEAR",
    "EventDate",
    "find_date_expressions",
    "needs_previous_day",
    "resolve_date",
]

"""Counting in working days, the way Vietnamese offices count deadlines.

``WorkingDays`` holds the working dates of the Office's calendar (``resource.calendar``:
its weekly attendances, the dated attendances of swapped working Saturdays, and its
leaves: public holidays, Tết, compensatory days) over a span of dates, loaded from the
calendar once for a whole batch of tasks, then extended by whole years when a question
reaches beyond it. Every answer after loading is pure Python (bisect on a sorted list).

Conventions (Civil Code 2015, Art. 147–148, which administrative deadlines follow):
- a period counted "from" a date starts the next day: the base date itself never counts;
- "N working days from D" ends on the N-th working day after D;
- "N days from D" ends on D + N, moved to the next working day when that day is not one.
- ``count(a, b)`` is the number of working days d with a < d <= b (negative when b < a):
  the working days late of a deadline a on day b, or the working days left from a to b.
"""

from bisect import bisect_left, bisect_right
from datetime import timedelta

# Loaded around the first question, and by this much again when a question goes further.
MARGIN = timedelta(days=92)


class WorkingDays:
    def __init__(self, loader, date_from, date_to):
        """``loader(date_from, date_to)`` returns the set of working dates in that range."""
        self._loader = loader
        self._from = date_from - MARGIN
        self._to = date_to + MARGIN
        self._dates = sorted(loader(self._from, self._to))

    def _cover(self, date_from, date_to):
        if date_from < self._from:
            start = min(date_from, self._from - MARGIN)
            self._dates = sorted(self._loader(start, self._from - timedelta(days=1))) + self._dates
            self._from = start
        if date_to > self._to:
            end = max(date_to, self._to + MARGIN)
            self._dates += sorted(self._loader(self._to + timedelta(days=1), end))
            self._to = end

    def is_working(self, day):
        self._cover(day, day)
        index = bisect_left(self._dates, day)
        return index < len(self._dates) and self._dates[index] == day

    def count(self, date_from, date_to):
        """Working days d with date_from < d <= date_to; negative when date_to < date_from."""
        if date_to < date_from:
            return -self.count(date_to, date_from)
        self._cover(date_from, date_to)
        return bisect_right(self._dates, date_to) - bisect_right(self._dates, date_from)

    def add(self, day, number):
        """The ``number``-th working day after ``day`` (``day`` itself when number is 0)."""
        if number <= 0:
            return day
        self._cover(day, day)
        # A calendar without any working day would loop forever: ten years is plenty.
        for _attempt in range(10):
            index = bisect_right(self._dates, day) + number - 1
            if index < len(self._dates):
                return self._dates[index]
            self._cover(day, self._to + MARGIN)
        return False

    def next_working(self, day):
        """``day`` if it is a working day, else the first working day after it."""
        return day if self.is_working(day) else self.add(day, 1)

    def deadline(self, rule, days, base):
        """The deadline of a rule (``working_days`` or ``calendar_days``) counted from base."""
        if not base or days is None or days < 0:
            return False
        if rule == "working_days":
            return self.add(base, days)
        if rule == "calendar_days":
            return self.next_working(base + timedelta(days=days))
        return False

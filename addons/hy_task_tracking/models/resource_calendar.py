import logging
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytz

from odoo import api, models

from odoo.addons.resource.models.utils import float_to_time

from .hy_time import HY_TZ, hy_today, local_naive, utc_naive
from .working_days import WorkingDays

_logger = logging.getLogger(__name__)

# The years whose public holidays were generated once: the monthly job never generates a
# year twice, so a holiday the Office deleted stays deleted.
GENERATED_YEARS_PARAM = "hy_task_tracking.holidays_generated_years"


def _dates(first, last):
    """Every date from ``first`` to ``last``, both included."""
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    # ------------------------------------------------------------------ the Office's calendar

    @api.model
    def _hy_office_calendar(self):
        """The Office's working-time calendar (the company's when ours was deleted).

        As superuser: its working days are public, and portal members of units, who have no
        access to resource calendars, read the deadlines it gives.
        """
        calendar = self.env.ref("hy_task_tracking.resource_calendar_office", False)
        # sudo: every user counts days on the Office calendar, which only managers may edit
        return (calendar or self.env.company.resource_calendar_id).sudo()  # sudo: see above

    def _hy_working_dates(self, date_from, date_to):
        """The dates, from date_from to date_to included, that keep at least half a day of
        working time once the days off are taken out, in the calendar's time zone.

        Read from the calendar's own records as Odoo's ``_work_intervals_batch`` reads them
        (weekly and dated attendances without resource, global leaves of this calendar or
        of all calendars), but by whole days: three queries and a loop over the dates,
        where the interval arithmetic of the resource module costs about 0.2 s a year.
        """
        self.ensure_one()
        tz = pytz.timezone(self.tz or HY_TZ)
        attendances = self.env["resource.calendar.attendance"].search(
            [
                ("calendar_id", "=", self.id),
                ("resource_id", "=", False),
                ("display_type", "=", False),
                ("day_period", "!=", "lunch"),
            ]
        )
        by_weekday = defaultdict(list)
        for attendance in attendances:
            by_weekday[int(attendance.dayofweek)].append(
                (
                    attendance.date_from,
                    attendance.date_to,
                    float_to_time(attendance.hour_from),
                    float_to_time(attendance.hour_to),
                )
            )
        leaves = self.env["resource.calendar.leaves"].search(
            [
                ("calendar_id", "in", [False, self.id]),
                ("resource_id", "=", False),
                ("time_type", "=", "leave"),
                ("date_from", "<=", self._hy_utc(date_to, time.max, tz)),
                ("date_to", ">=", self._hy_utc(date_from, time.min, tz)),
            ]
        )
        # Each day's days off, in local time.
        off = defaultdict(list)
        for leave in leaves:
            begin, end = local_naive(leave.date_from, tz), local_naive(leave.date_to, tz)
            for day in _dates(begin.date(), end.date()):
                off[day].append((begin, end))
        least = (self.hours_per_day or 8) / 2
        dates = set()
        for day in _dates(date_from, date_to):
            worked = 0.0
            for valid_from, valid_to, hour_from, hour_to in by_weekday[day.weekday()]:
                if (valid_from and day < valid_from) or (valid_to and day > valid_to):
                    continue
                start, stop = datetime.combine(day, hour_from), datetime.combine(day, hour_to)
                seconds = (stop - start).total_seconds()
                for begin, end in off[day]:
                    overlap = (min(stop, end) - max(start, begin)).total_seconds()
                    seconds -= max(overlap, 0)
                worked += max(seconds, 0) / 3600
            if worked >= least - 0.01:
                dates.add(day)
        return dates

    @api.model
    def _hy_working_days(self, date_from, date_to):
        """A ``WorkingDays`` of the Office's calendar, loaded for date_from..date_to (and a
        year around): one load for a whole batch of tasks."""
        calendar = self._hy_office_calendar()
        return WorkingDays(calendar._hy_working_dates, date_from, date_to)

    # ------------------------------------------------------------------ public holidays

    def _hy_generate_vn_holidays(self, years, force=False):
        """Create Vietnam's public holidays of ``years`` as leaves of this calendar, and its
        swapped working Saturdays as dated attendances, from the ``holidays`` library.

        Each generated day keeps its key (the library's date): a day already generated, even
        if the Office moved or renamed it since, is never created again, and a day the
        Office already entered itself is left alone. A year is generated once; ``force``
        (the Office's button) generates it again, bringing back only deleted days.
        Returns the leaves created.
        """
        self.ensure_one()
        import holidays

        params = self.env["ir.config_parameter"].sudo()  # sudo: our own bookkeeping
        done = {int(y) for y in (params.get_param(GENERATED_YEARS_PARAM) or "").split(",") if y}
        todo = sorted(year for year in set(years) if force or year not in done)
        Leaves = self.env["resource.calendar.leaves"]
        if not todo:
            return Leaves
        tz = pytz.timezone(self.tz or HY_TZ)
        generated = holidays.country_holidays("VN", years=todo, language="vi")
        keys = [day.isoformat() for day in generated]
        first = self._hy_utc(date(todo[0], 1, 1), time.min, tz)
        last = self._hy_utc(date(todo[-1], 12, 31), time.max, tz)
        existing = Leaves.search(
            [
                ("calendar_id", "=", self.id),
                ("resource_id", "=", False),
                "|",
                ("hy_holiday_key", "in", keys),
                "&",
                ("date_from", "<=", last),
                ("date_to", ">=", first),
            ]
        )
        known_keys = set(existing.mapped("hy_holiday_key"))
        # Every day a leave of the calendar already covers, whoever entered it.
        covered = {
            day
            for leave in existing
            for day in _dates(
                local_naive(leave.date_from, tz).date(), local_naive(leave.date_to, tz).date()
            )
        }
        vals_list = [
            {
                "name": name,
                "calendar_id": self.id,
                "company_id": self.company_id.id,
                "date_from": self._hy_utc(day, time.min, tz),
                "date_to": self._hy_utc(day, time(23, 59, 59), tz),
                "time_type": "leave",
                "hy_holiday_key": day.isoformat(),
            }
            for day, name in sorted(generated.items())
            if day.isoformat() not in known_keys and day not in covered
        ]
        created = Leaves.create(vals_list)
        self._hy_generate_swapped_workdays(todo)
        params.set_param(GENERATED_YEARS_PARAM, ",".join(str(y) for y in sorted(done | set(todo))))
        _logger.info("Public holidays of %s: %s days created", todo, len(created))
        return created

    def _hy_generate_swapped_workdays(self, years):
        """The working Saturdays (or Sundays) that the library's table of swapped days holds
        for ``years``, as attendances valid on that date only; the Office adds the others."""
        from holidays.countries.vietnam import VietnamStaticHolidays

        workdays = []
        for year in years:
            swaps = VietnamStaticHolidays.special_public_holidays.get(year, ())
            if swaps and not isinstance(swaps[0], tuple):
                swaps = (swaps,)
            for swap in swaps:
                # (month off, day off, month worked, day worked[, year worked])
                if len(swap) in (4, 5) and all(isinstance(x, int) for x in swap):
                    workdays.append(date(swap[4] if len(swap) == 5 else year, swap[2], swap[3]))
        Attendance = self.env["resource.calendar.attendance"]
        existing = Attendance.search(
            [("calendar_id", "=", self.id), ("date_from", "in", workdays)]
        ).mapped("date_from")
        Attendance.create(
            [
                self._hy_workday_vals(day, key=day.isoformat())
                for day in workdays
                if day not in existing and day.weekday() >= 5
            ]
        )

    def _hy_workday_vals(self, day, key=False, name=False):
        """An extra working day: one attendance valid on that date only."""
        return {
            "name": name or self.env._("Working day (swapped)"),
            "calendar_id": self.id,
            "dayofweek": str(day.weekday()),
            "date_from": day,
            "date_to": day,
            "hour_from": 7.5,
            "hour_to": 16.5,
            "day_period": "morning",
            "hy_holiday_key": key,
        }

    @api.model
    def _hy_utc(self, day, at, tz):
        return utc_naive(day, at, tz)

    @api.model
    def _hy_prepare_holidays(self, next_year=False):
        """This year's holidays, and next year's in December (or when asked), each year once."""
        today = hy_today()
        years = [today.year] + ([today.year + 1] if next_year or today.month == 12 else [])
        return self._hy_office_calendar()._hy_generate_vn_holidays(years)

    # ------------------------------------------------------------------ crons

    @api.model
    def _cron_hy_prepare_holidays(self):
        """Monthly: makes sure the Office's calendar holds this year's public holidays, and
        in December next year's, for the Office to check against the Government's notice."""
        return self._hy_prepare_holidays()

import shutil
import tempfile
from datetime import date, datetime, timedelta
from unittest.mock import patch

import pytz

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, freeze_time, new_test_user
from odoo.tools import config

from odoo.addons.hy_task_tracking.models.hy_task import HY_TZ, OVERDUE_CATEGORIES

from .test_report_signing import make_certificate

# "Today" of the shared data set: after the first half of 2026, inside the second.
TODAY = "2026-08-15 03:00:00"  # 10:00 in Asia/Ho_Chi_Minh
H1 = (date(2026, 1, 1), date(2026, 6, 30))
CALENDAR = {"six_month": H1, "annual": (date(2026, 1, 1), date(2026, 12, 31))}
# Things happen at 10:00 in Hà Nội unless a test says otherwise.
MORNING = "03:00:00"

# The figures the independent recount below checks, in the order of the report's columns.
CHECKED_FIGURES = (
    "assigned_count",
    "done_on_time_count",
    "done_late_count",
    "awaiting_confirmation_count",
    "in_progress_on_time_count",
    "in_progress_overdue_count",
    "not_started_on_time_count",
    "not_started_overdue_count",
    "no_deadline_count",
    "overdue_count",
    "classified_count",
    "returned_count",
    "total_delay_days",
)


def at(day, clock=MORNING):
    """The frozen UTC instant of ``day`` at ``clock`` (UTC)."""
    return f"{day.isoformat()} {clock}"


def hanoi_date(instant):
    """The Asia/Ho_Chi_Minh date of a UTC instant written as at() writes it."""
    utc = pytz.utc.localize(datetime.fromisoformat(instant))
    return utc.astimezone(pytz.timezone(HY_TZ)).date()


def expected_category(history, date_from, date_to, today):
    """What a task counts as for a period, from the scenario's own record of it.

    ``history`` is the list of (Hà Nội date, state of the task) the test wrote down after each
    thing that happened to the task; the rule is the one of readme/DESCRIPTION.md, written
    independently of the module's SQL and ledger. Returns None when the task does not count.
    """
    known = [state for day, state in history if day <= date_to]
    if not known:
        return None
    task = known[-1]
    if not task["active"] or task["state"] in ("draft", "cancelled") or not task["unit"]:
        return None
    settled = task["state"] == "done" and task["confirmed"]
    deadline, done = task["deadline"], task["date_done"]
    if settled:
        within = date_from <= done <= date_to or (deadline and date_from <= deadline <= date_to)
        if not within:
            return None
        return "done_late" if deadline and done > deadline else "done_on_time"
    if task["state"] == "done":
        return "done_unconfirmed"
    as_of = min(date_to, today)
    # A task its unit returned waits for the Office: never overdue against the unit.
    overdue = bool(deadline) and deadline < as_of and task["state"] != "returned"
    prefix = "in_progress" if task["state"] == "in_progress" else "not_started"
    return f"{prefix}_{'overdue' if overdue else 'on_time'}"


def working_days_late(deadline, done, days_off):
    """Monday to Friday after the deadline up to the day done, less ``days_off``."""
    days = (deadline + timedelta(days=n) for n in range(1, (done - deadline).days + 1))
    return sum(1 for day in days if day.weekday() < 5 and day not in days_off)


def expected_figures(histories, date_from, date_to, today, days_off=frozenset()):
    """{unit: {figure: count}} of the tasks whose ``histories`` are given, counted in Python;
    delays in working days, ``days_off`` being the public holidays."""
    figures = {}
    for history in histories:
        category = expected_category(history, date_from, date_to, today)
        if not category:
            continue
        task = [state for day, state in history if day <= date_to][-1]
        unit = figures.setdefault(
            task["unit"],
            dict.fromkeys(CHECKED_FIGURES, 0),
        )
        unit["assigned_count"] += 1
        key = "awaiting_confirmation" if category == "done_unconfirmed" else category
        unit[f"{key}_count"] += 1
        unit["no_deadline_count"] += not task["deadline"]
        unit["overdue_count"] += category in OVERDUE_CATEGORIES
        unit["classified_count"] += task["classified"]
        unit["returned_count"] += task["state"] == "returned"
        if category == "done_late":
            unit["total_delay_days"] += working_days_late(
                task["deadline"], task["date_done"], days_off
            )
    return figures


class TestHyReportCommon(TransactionCase):
    """Units A and B, a unit without tasks, one user per role, and tasks lived through the first
    half of 2026 and after it: every status category, every boundary of the period.

    Every task is created and moved through its workflow at frozen dates, as the Office and
    the units would have done it, so that the task ledger holds its real history; the test
    also writes down, in ``cls.history``, what each task was after each step.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_test_certificate()
        Unit = cls.env["hy.unit"]
        cls.division = Unit.create(
            {"name": "Phòng Tổng hợp", "code": "R-PTH", "unit_type": "office_division"}
        )
        cls.unit_a = Unit.create({"name": "Sở Nội vụ (thử)", "code": "R-SNV"})
        cls.unit_b = Unit.create({"name": "Sở Tài chính (thử)", "code": "R-STC"})
        cls.unit_idle = Unit.create(
            {"name": "UBND huyện Tiên Lữ (thử)", "code": "R-TL", "unit_type": "district"}
        )
        g = "hy_task_tracking.group_"
        cls.manager = cls._user("r_manager", groups=f"{g}office_manager", name="Nguyễn Văn Hùng")
        cls.officer = cls._user("r_officer", groups=f"{g}office_officer", name="Trần Thị Lan")
        cls.leader = cls._user("r_leader", groups=f"{g}leadership", name="Đỗ Quang Minh")
        cls.user_a = cls._user("r_user_a", groups=f"{g}unit_user", name="Phạm Thu Hà")
        cls.user_b = cls._user("r_user_b", groups=f"{g}unit_user", name="Vũ Đức Anh")
        cls.portal_a = cls._user("r_portal_a", groups="base.group_portal", name="Hoàng Văn Nam")
        cls.unit_a.user_ids = cls.user_a | cls.portal_a
        cls.unit_b.user_ids = cls.user_b

        Directive = cls.env["hy.directive"]
        cls.directive = Directive.create(
            {
                "name": "Chỉ thị",
                "number": "R-01/CT-UBND",
                "issue_date": date(2025, 9, 1),
                "signer": "Trần Quốc Văn",
                "authority": "province_chairman",
                "summary": "Về việc đẩy mạnh cải cách hành chính",
                "followup_unit_id": cls.division.id,
            }
        )
        cls.directive_gov = Directive.create(
            {
                "name": "Nghị quyết",
                "number": "R-02/NQ-CP",
                "issue_date": date(2025, 9, 1),
                "signer": "Thủ tướng",
                "authority": "government",
                "summary": "Về nhiệm vụ, giải pháp chủ yếu",
                "followup_unit_id": cls.division.id,
            }
        )
        cls.directive_conf = Directive.create(
            {
                "name": "Quyết định",
                "number": "R-03/QĐ-UBND",
                "issue_date": date(2025, 9, 1),
                "signer": "Trần Quốc Văn",
                "authority": "province",
                "security_level": "confidential",
                "followup_unit_id": cls.division.id,
            }
        )
        cls.history = {}
        d = date
        T = cls._task
        cls.t = {
            # done and confirmed within the period, on the deadline day: on time
            "done_on_deadline": T("done", d(2026, 2, 1), d(2026, 3, 31), d(2026, 3, 31),
                                  quality="excellent", confirmed_on=d(2026, 4, 1)),
            # done within the period, 9 days late, confirmed after it: awaiting confirmation
            "done_late": T("done", d(2026, 2, 1), d(2026, 3, 1), d(2026, 3, 10),
                           quality="satisfactory", confirmed_on=d(2026, 7, 10)),
            # done on the first day of the period, one day late, confirmed
            "done_on_date_from": T("done", d(2025, 11, 1), d(2025, 12, 31), d(2026, 1, 1),
                                   quality="good", confirmed_on=d(2026, 1, 5)),
            # done and confirmed on the last day of the period, 15 days late
            "done_on_date_to": T("done", d(2026, 2, 1), d(2026, 6, 15), d(2026, 6, 30),
                                 quality="unsatisfactory", confirmed_on=d(2026, 6, 30)),
            # done before the period, deadline within it: counts, on time
            "done_early": T("done", d(2025, 11, 1), d(2026, 2, 15), d(2025, 12, 20),
                            quality="good", confirmed_on=d(2025, 12, 22)),
            # done before the period, deadline before it: an earlier period's task
            "done_before": T("done", d(2025, 10, 5), d(2025, 12, 31), d(2025, 12, 30),
                             quality="good", confirmed_on=d(2025, 12, 31)),
            # reported done within the period, never confirmed
            "reported": T("done", d(2026, 2, 1), d(2026, 5, 31), d(2026, 5, 20)),
            # done after the period: in progress at its end; deadline = end of period
            "done_after_deadline_to": T("done", d(2026, 3, 1), d(2026, 6, 30), d(2026, 7, 5)),
            # done after the period, deadline the day before its end: overdue at its end
            "done_after_overdue": T("done", d(2026, 3, 1), d(2026, 6, 29), d(2026, 7, 2)),
            "in_progress_overdue": T("in_progress", d(2026, 1, 10), d(2026, 5, 31)),
            # on time at the end of the period, overdue today: the report keeps "on time"
            "in_progress_on_time": T("in_progress", d(2026, 1, 10), d(2026, 7, 31)),
            "not_started_overdue": T("assigned", d(2026, 2, 1), d(2026, 4, 30)),
            # assigned on the last day of the period: counts
            "assigned_on_date_to": T("assigned", d(2026, 6, 30), d(2026, 12, 31)),
            # assigned the day after: does not
            "assigned_after": T("assigned", d(2026, 7, 1), d(2026, 12, 31)),
            "no_deadline": T("in_progress", d(2026, 1, 5), False),
            "no_deadline_done": T("done", d(2026, 1, 5), False, d(2026, 4, 1), quality="good"),
            "returned": T("returned", d(2026, 2, 1), d(2026, 6, 1), returned_on=d(2026, 2, 10)),
            "cancelled": T("cancelled", d(2026, 2, 1), d(2026, 5, 1), cancelled_on=d(2026, 2, 15)),
            # cancelled and archived after the period: they still count for it
            "cancelled_after": T("cancelled", d(2026, 2, 1), d(2026, 9, 1),
                                 cancelled_on=d(2026, 7, 3)),
            "draft": T("draft", d(2026, 2, 1), d(2026, 5, 1)),
            "archived": T("in_progress", d(2026, 2, 1), d(2026, 5, 1), archived_on=d(2026, 2, 15)),
            "archived_after": T("in_progress", d(2026, 2, 1), d(2026, 9, 1),
                                archived_on=d(2026, 7, 3)),
            "government": T("in_progress", d(2026, 2, 1), d(2026, 9, 30),
                            directive=cls.directive_gov),
            # unit B
            "b_on_time": T("in_progress", d(2026, 2, 1), d(2026, 9, 30), unit=cls.unit_b),
            "b_classified": T("in_progress", d(2026, 2, 1), d(2026, 3, 31), unit=cls.unit_b,
                              directive=cls.directive_conf),
        }  # fmt: skip
        # Transfers from A to B, at 23:30 on the last day of the period in Hà Nội (within it)
        # and at 00:30 the day after (not).
        for key, instant in (
            ("b_transferred", "2026-06-30 16:30:00"),
            ("b_transferred_late", "2026-06-30 17:30:00"),
        ):
            cls.t[key] = T("assigned", d(2026, 2, 1), d(2026, 9, 30))
            cls._at(
                cls.t[key],
                instant,
                lambda task: task._transfer_to_unit(cls.unit_b, "Đúng chức năng của Sở"),
            )
        # Extended within the period, before its deadline: on time at the end of the period.
        cls.t["extended"] = T("in_progress", d(2026, 2, 1), d(2026, 5, 31))
        cls._at(cls.t["extended"], at(d(2026, 5, 20)), cls._extend(d(2026, 8, 31)))
        # Extended after the period, its deadline already passed: still overdue for the period.
        cls.t["extended_late"] = T("in_progress", d(2026, 2, 1), d(2026, 6, 15))
        cls._at(cls.t["extended_late"], at(d(2026, 7, 5)), cls._extend(d(2026, 9, 30)))
        cls.tasks = (
            cls.env["hy.task"]
            .with_context(active_test=False)
            .browse([task.id for task in cls.t.values()])
        )
        cls.env.flush_all()

    @classmethod
    def _use_test_certificate(cls):
        """The Office's signing certificate of these tests: a throw-away one, in a data
        directory of their own (the key file lives outside the database)."""
        key_dir = tempfile.mkdtemp(prefix="hy_report_test_")
        cls.addClassCleanup(shutil.rmtree, key_dir, ignore_errors=True)
        cls.startClassPatcher(patch.dict(config.options, {"hy_signing_dir": key_dir}))
        # Valid from before the frozen days of the tests to after them.
        certificate = make_certificate(valid_from=datetime(2020, 1, 1, tzinfo=pytz.utc), days=3650)
        cls.env["hy.report.signer"]._store_key_and_certificate(*certificate)

    @classmethod
    def _user(cls, login, **kwargs):
        return new_test_user(cls.env, login, context={"no_reset_password": True}, **kwargs)

    @classmethod
    def _remember(cls, task, instant):
        """Write down what ``task`` is after something happened to it at ``instant``."""
        task.invalidate_recordset()
        cls.history.setdefault(task.id, []).append(
            (
                hanoi_date(instant),
                {
                    "state": task.state,
                    "unit": task.lead_unit_id,
                    "deadline": task.deadline,
                    "date_done": task.date_done,
                    "confirmed": task.confirmed,
                    "quality": task.quality,
                    "active": task.active,
                    "classified": task.is_classified,
                },
            )
        )

    @classmethod
    def _at(cls, task, instant, step):
        """Do ``step(task)`` at the frozen ``instant`` (UTC), and write down the result."""
        with freeze_time(instant):
            step(task)
            task.flush_recordset()
        cls._remember(task, instant)

    @classmethod
    def _extend(cls, new_deadline):
        def step(task):
            extension = task.env["hy.task.extension"].create(
                {"task_id": task.id, "new_deadline": new_deadline, "reason": "Chờ ý kiến phối hợp"}
            )
            extension.action_approve()

        return step

    @classmethod
    def _task(
        cls,
        state,
        assigned,
        deadline,
        done=False,
        unit=None,
        directive=None,
        quality=None,
        confirmed_on=None,
        returned_on=None,
        cancelled_on=None,
        archived_on=None,
    ):
        """A task assigned on ``assigned`` and lived through to ``state``, each step at its date."""
        directive = directive or cls.directive
        values = {
            "directive_id": directive.id,
            "lead_unit_id": (unit or cls.unit_a).id,
            "followup_unit_id": cls.division.id,
            "deadline": deadline,
            "name": False if directive.is_classified else "Rà soát thủ tục hành chính",
        }
        with freeze_time(at(assigned)):
            task = cls.env["hy.task"].create(values)
        cls._remember(task, at(assigned))
        if state == "draft":
            return task
        cls._at(task, at(assigned), lambda t: t.action_assign())
        if state in ("in_progress", "done") or archived_on:
            cls._at(task, at(assigned), lambda t: t.action_accept())
        if state == "done":
            cls._at(task, at(done), lambda t: t._report_done("Đã hoàn thành", done))
            if quality:
                cls._at(
                    task,
                    at(confirmed_on or done),
                    lambda t: t._evaluate_and_confirm(quality, "Đạt yêu cầu"),
                )
        if state == "returned":
            cls._at(task, at(returned_on), lambda t: t._return_to_office("Không đúng chức năng"))
        if state == "cancelled":
            cls._at(task, at(cancelled_on), lambda t: t.action_cancel())
        if archived_on:
            cls._at(task, at(archived_on), lambda t: t.write({"active": False}))
        return task

    @classmethod
    def _period(cls, **vals):
        """A period of 2026 on calendar dates (the shared history is written for them), unless
        the test gives its own; the default cut-offs are tested in test_deadline_words."""
        values = {"kind": "six_month", "year": 2026}
        values.update(vals)
        if values["kind"] in CALENDAR and "date_from" not in values:
            values["date_from"], values["date_to"] = CALENDAR[values["kind"]]
        return cls.env["hy.report.period"].create(values)

    def _outcome_of(self, action):
        """What calling ``action`` ends in: "ok", or the refusal it raises ("AccessError",
        "UserError", ...); a refused action leaves nothing behind."""
        try:
            with self.env.cr.savepoint():
                action()
        except (AccessError, UserError) as error:
            return type(error).__name__
        return "ok"

    def _line(self, period, unit):
        return period.line_ids.filtered(lambda line: line.unit_id == unit)

    def _tasks_of(self, record, figure):
        action = record.action_open_tasks(figure)
        return self.env["hy.task"].with_context(**action["context"]).search(action["domain"])

    def _histories(self):
        return [self.history[task.id] for task in self.tasks]

    def _days_off(self):
        """The public holidays of the Office's calendar, as Hà Nội dates (whole-day leaves)."""
        calendar = self.env.ref("hy_task_tracking.resource_calendar_office")
        leaves = self.env["resource.calendar.leaves"].search([("calendar_id", "=", calendar.id)])
        tz = pytz.timezone(HY_TZ)
        return {pytz.utc.localize(leave.date_to).astimezone(tz).date() for leave in leaves}

    @staticmethod
    def _day_after(day):
        return day + timedelta(days=1)

from datetime import date

from odoo.tests import TransactionCase, freeze_time, new_test_user

from odoo.addons.hy_task_tracking.models.hy_task import OVERDUE_CATEGORIES

# "Today" of the shared data set: after the first half of 2026, inside the second.
TODAY = "2026-08-15 03:00:00"  # 10:00 in Asia/Ho_Chi_Minh
H1 = (date(2026, 1, 1), date(2026, 6, 30))


def expected_category(task, date_from, date_to, today):
    """What a task counts as for a period, written independently of the SQL of the module.

    Returns None when the task does not count. The rule (readme/DESCRIPTION.md): assigned on
    or before the end of the period, neither draft, cancelled nor archived; and still open at
    the end of the period, or done within it, or with its deadline within it. The category is
    judged at min(end of period, today).
    """
    if not task.active or task.state in ("draft", "cancelled") or not task.lead_unit_id:
        return None
    if not task.date_assigned or task.date_assigned > date_to:
        return None
    done_by_end = task.state == "done" and task.date_done <= date_to
    done_within = task.state == "done" and date_from <= task.date_done <= date_to
    deadline_within = bool(task.deadline) and date_from <= task.deadline <= date_to
    if done_by_end and not done_within and not deadline_within:
        return None
    as_of = min(date_to, today)
    if done_by_end:
        late = task.deadline and task.date_done > task.deadline
        return "done_late" if late else "done_on_time"
    overdue = bool(task.deadline) and task.deadline < as_of
    prefix = "in_progress" if task.state in ("in_progress", "done") else "not_started"
    return f"{prefix}_{'overdue' if overdue else 'on_time'}"


def expected_figures(tasks, date_from, date_to, today):
    """{unit: {figure: count}} of ``tasks``, counted one by one in Python."""
    figures = {}
    for task in tasks:
        category = expected_category(task, date_from, date_to, today)
        if not category:
            continue
        unit = figures.setdefault(
            task.lead_unit_id,
            {
                "assigned_count": 0,
                "done_on_time_count": 0,
                "done_late_count": 0,
                "in_progress_on_time_count": 0,
                "in_progress_overdue_count": 0,
                "not_started_on_time_count": 0,
                "not_started_overdue_count": 0,
                "no_deadline_count": 0,
                "overdue_count": 0,
                "classified_count": 0,
                "returned_count": 0,
                "total_delay_days": 0,
            },
        )
        unit["assigned_count"] += 1
        unit[f"{category}_count"] += 1
        unit["no_deadline_count"] += not task.deadline
        unit["overdue_count"] += category in OVERDUE_CATEGORIES
        unit["classified_count"] += task.is_classified
        unit["returned_count"] += task.state == "returned"
        if category == "done_late":
            unit["total_delay_days"] += (task.date_done - task.deadline).days
    return figures


class TestHyReportCommon(TransactionCase):
    """Units A and B, a unit without tasks, one user per role, and a set of tasks around the
    first half of 2026 that covers every status category and every boundary of the period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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
        d = date
        with freeze_time(TODAY):
            T = cls._task
            cls.t = {
                # done within the period, on the deadline day: on time
                "done_on_deadline": T("done", d(2026, 2, 1), d(2026, 3, 31), d(2026, 3, 31),
                                      quality="excellent", confirmed_date=d(2026, 4, 1)),
                # done within the period, 9 days late; evaluated after the period
                "done_late": T("done", d(2026, 2, 1), d(2026, 3, 1), d(2026, 3, 10),
                               quality="satisfactory", confirmed_date=d(2026, 7, 10)),
                # done on the first day of the period, one day late
                "done_on_date_from": T("done", d(2025, 11, 1), d(2025, 12, 31), d(2026, 1, 1)),
                # done on the last day of the period, 15 days late
                "done_on_date_to": T("done", d(2026, 2, 1), d(2026, 6, 15), d(2026, 6, 30)),
                # done before the period, deadline within it: counts, on time
                "done_early": T("done", d(2025, 11, 1), d(2026, 2, 15), d(2025, 12, 20)),
                # done before the period, deadline before it: an earlier period's task
                "done_before": T("done", d(2025, 10, 5), d(2025, 12, 31), d(2025, 12, 30)),
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
                "returned": T("returned", d(2026, 2, 1), d(2026, 6, 1), return_reason="Sai đơn vị"),
                "cancelled": T("cancelled", d(2026, 2, 1), d(2026, 5, 1)),
                "draft": T("draft", False, d(2026, 5, 1)),
                "archived": T("in_progress", d(2026, 2, 1), d(2026, 5, 1), active=False),
                "government": T("in_progress", d(2026, 2, 1), d(2026, 9, 30),
                                directive=cls.directive_gov),
                # unit B
                "b_on_time": T("in_progress", d(2026, 2, 1), d(2026, 9, 30), unit=cls.unit_b),
                "b_classified": T("in_progress", d(2026, 2, 1), d(2026, 3, 31), unit=cls.unit_b,
                                  directive=cls.directive_conf),
            }  # fmt: skip
            # Transfers to unit B, at 23:30 on the last day of the period in Hà Nội (counts)
            # and at 00:30 the day after (does not).
            for key, when in (
                ("b_transferred", "2026-06-30 16:30:00"),
                ("b_transferred_late", "2026-06-30 17:30:00"),
            ):
                cls.t[key] = T("assigned", d(2026, 2, 1), d(2026, 9, 30))
                cls.t[key]._transfer_to_unit(cls.unit_b, "Đúng chức năng, nhiệm vụ của Sở")
                # create_date is the time of the test transaction: set that of the transfer.
                cls.env.flush_all()
                cls.env.cr.execute(
                    "UPDATE hy_task_transfer SET create_date = %s WHERE task_id = %s",
                    (when, cls.t[key].id),
                )
        cls.env["hy.task.transfer"].invalidate_model(["create_date"])
        cls.tasks = (
            cls.env["hy.task"]
            .with_context(active_test=False)
            .browse([task.id for task in cls.t.values()])
        )
        cls.env.flush_all()

    @classmethod
    def _user(cls, login, **kwargs):
        return new_test_user(cls.env, login, context={"no_reset_password": True}, **kwargs)

    @classmethod
    def _task(cls, state, assigned, deadline, done=False, unit=None, directive=None, **vals):
        directive = directive or cls.directive
        values = {
            "directive_id": directive.id,
            "lead_unit_id": (unit or cls.unit_a).id,
            "followup_unit_id": cls.division.id,
            "deadline": deadline,
            "date_assigned": assigned,
            "state": state,
            "date_done": done,
            "name": False if directive.is_classified else "Rà soát thủ tục hành chính",
        }
        if state == "done" and vals.get("quality"):
            vals.setdefault("confirmed", True)
        values.update(vals)
        return cls.env["hy.task"].create(values)

    @classmethod
    def _period(cls, **vals):
        values = {"kind": "six_month", "year": 2026}
        values.update(vals)
        return cls.env["hy.report.period"].create(values)

    def _line(self, period, unit):
        return period.line_ids.filtered(lambda line: line.unit_id == unit)

    def _tasks_of(self, record, figure):
        action = record.action_open_tasks(figure)
        return self.env["hy.task"].with_context(**action["context"]).search(action["domain"])

import json
from datetime import date, timedelta

from odoo.tests import TransactionCase, freeze_time, new_test_user

from ..models.hy_task import hy_today

# 00:30 in Hà Nội is 17:30 UTC the day before: the night a deadline of the day before passes.
HANOI_0030 = "{} 17:30:00"


class TestHyCommon(TransactionCase):
    """Two connected units (A, B), one unit that does not use the software, a follow-up
    division, and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        Unit = cls.env["hy.unit"]
        cls.division = Unit.create(
            {"name": "Phòng Tổng hợp", "code": "T-PTH", "unit_type": "office_division"}
        )
        cls.unit_a = Unit.create({"name": "Sở Nội vụ", "code": "T-SNV"})
        cls.unit_b = Unit.create({"name": "Sở Tài chính", "code": "T-STC"})
        cls.unit_off = Unit.create(
            {
                "name": "UBND huyện Kim Động",
                "code": "T-KD",
                "unit_type": "district",
                "connected": False,
            }
        )
        g = "hy_task_tracking.group_"
        cls.manager = new_test_user(
            cls.env,
            "t_manager",
            groups=f"{g}office_manager,{g}clearance_secret",
            name="Nguyễn Văn Hùng",
        )
        cls.officer = new_test_user(
            cls.env,
            "t_officer",
            groups=f"{g}office_officer,{g}clearance_confidential",
            name="Trần Thị Lan",
        )
        cls.officer_uncleared = new_test_user(
            cls.env, "t_officer2", groups=f"{g}office_officer", name="Lê Minh Tuấn"
        )
        cls.leader = new_test_user(
            cls.env,
            "t_leader",
            groups=f"{g}leadership,{g}clearance_top_secret",
            name="Đỗ Quang Minh",
        )
        cls.user_a = new_test_user(cls.env, "t_user_a", groups=f"{g}unit_user", name="Phạm Thu Hà")
        cls.user_b = new_test_user(cls.env, "t_user_b", groups=f"{g}unit_user", name="Vũ Đức Anh")
        cls.portal_a = new_test_user(
            cls.env, "t_portal_a", groups="base.group_portal", name="Hoàng Văn Nam"
        )
        cls.portal_b = new_test_user(
            cls.env, "t_portal_b", groups="base.group_portal", name="Bùi Thị Mai"
        )
        cls.unit_a.user_ids = cls.user_a | cls.portal_a
        cls.unit_b.user_ids = cls.user_b | cls.portal_b

        cls.directive = cls.env["hy.directive"].create(
            {
                "name": "Chỉ thị",
                "number": "905/CT-UBND",
                "issue_date": date(2026, 3, 2),
                "signer": "Trần Quốc Văn",
                "authority": "province_chairman",
                "summary": "Về việc đẩy mạnh cải cách hành chính năm 2026",
                "followup_unit_id": cls.division.id,
            }
        )
        cls.overdue_type = cls.env.ref("hy_task_tracking.mail_activity_type_overdue")
        cls.due_soon_type = cls.env.ref("hy_task_tracking.mail_activity_type_due_soon")
        cls.stale_type = cls.env.ref("hy_task_tracking.mail_activity_type_stale")
        cls.directive_conf = cls.env["hy.directive"].create(
            {
                "name": "Quyết định",
                "number": "912/QĐ-UBND",
                "issue_date": date(2026, 4, 1),
                "signer": "Trần Quốc Văn",
                "authority": "province",
                "security_level": "confidential",
                "followup_unit_id": cls.division.id,
            }
        )

    @classmethod
    def _flush_tracking(cls):
        """Write pending chatter tracking now (Odoo does it in a pre-commit hook)."""
        cls.env.flush_all()
        cls.env.cr.flush()

    @classmethod
    def _directive(cls, **vals):
        """A directive of the Chairman followed by the division, issued 90 days ago."""
        values = {
            "name": "Công văn",
            "number": "988/UBND-KT",
            "issue_date": hy_today() - timedelta(days=90),
            "signer": "Trần Quốc Văn",
            "authority": "province",
            "summary": "V/v đẩy nhanh giải phóng mặt bằng",
            "followup_unit_id": cls.division.id,
        }
        return cls.env["hy.directive"].create(dict(values, **vals))

    @classmethod
    def _task(cls, unit=None, deadline=date(2026, 12, 31), state="draft", assigned=None, **vals):
        """A task of the normal directive, created as the Office would, then moved to state.

        ``assigned``: its assignment date, when the test needs one before today's.
        """
        values = {
            "directive_id": cls.directive.id,
            "name": "Rà soát thủ tục hành chính",
            "lead_unit_id": (unit or cls.unit_a).id,
            "deadline": deadline,
            "followup_unit_id": cls.division.id,
        }
        values.update(vals)
        if assigned:
            values["date_assigned"] = assigned
        task = cls.env["hy.task"].create(values)
        if state != "draft":
            task.action_assign()
        if state in ("in_progress", "done"):
            task.action_accept()
        task.flush_recordset()
        return task

    def _assigned(self, deadline, unit=None, directive=None, state="assigned", **vals):
        """A task of ``directive`` (the normal one by default) followed by the officer, created
        and assigned on 1 June 2026; with no content when the directive is classified."""
        directive = directive or self.directive
        values = {"directive_id": directive.id, "followup_user_id": self.officer.id}
        if directive.is_classified:
            values["name"] = False
        with freeze_time("2026-06-01 03:00:00"):
            return self._task(unit=unit, deadline=deadline, state=state, **dict(values, **vals))

    @classmethod
    def _task_batch(cls, count, **vals):
        """``count`` tasks of the normal directive for unit A and unit B in turn, created and
        assigned in one batch on 1 June 2026, their chatter tracking written. A value of
        ``vals`` may be a function of the task's index."""
        with freeze_time("2026-06-01 03:00:00"):
            tasks = cls.env["hy.task"].create(
                [
                    {
                        "directive_id": cls.directive.id,
                        "name": f"Nhiệm vụ {i}",
                        "lead_unit_id": (cls.unit_a, cls.unit_b)[i % 2].id,
                        **{
                            key: value(i) if callable(value) else value
                            for key, value in vals.items()
                        },
                    }
                    for i in range(count)
                ]
            )
            tasks.action_assign()
            # Stored computes are lazy: compute them while the clock is still frozen.
            tasks.flush_recordset()
        cls._flush_tracking()
        return tasks

    def _activities(self, tasks, activity_type=None):
        """The activities of ``activity_type`` (overdue by default) on ``tasks``."""
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "hy.task"),
                ("res_id", "in", tasks.ids),
                ("activity_type_id", "=", (activity_type or self.overdue_type).id),
            ]
        )

    def _request_extension(self, task, new_deadline, reason="Chờ số liệu", user=None):
        """An extension of ``task`` requested by ``user`` (a member of unit A by default)."""
        Extension = self.env["hy.task.extension"].with_user(user or self.user_a)
        return Extension.create(
            {"task_id": task.id, "new_deadline": new_deadline, "reason": reason}
        )

    def _mails_to(self, user):
        return self.env["mail.mail"].search([("recipient_ids", "in", user.partner_id.ids)])


class JsonRpcMixin:
    """JSON-RPC as the web client speaks it (``call_kw`` and the other JSON routes), for the
    HttpCase classes of both modules: what any logged-in user may send, whatever the buttons
    offer."""

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _jsonrpc(self, route, params):
        """The whole JSON answer of ``route`` (``result`` or ``error``)."""
        response = self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        # The request changed records in its own environment: read them afresh.
        self.env.invalidate_all()
        return response.json()

    def _call_kw(self, model, method, args, kwargs=None):
        """The whole JSON answer of ``call_kw``."""
        params = {"model": model, "method": method, "args": list(args), "kwargs": kwargs or {}}
        return self._jsonrpc("/web/dataset/call_kw", params)

    def _json(self, route, params):
        """``route``: (result, error name, error message)."""
        answer = self._jsonrpc(route, params)
        error = answer.get("error")
        if error:
            return None, error["data"]["name"], error["data"]["message"]
        return answer["result"], None, None

    def _call(self, model, method, *args, **kwargs):
        """``call_kw``: (result, error name, error message)."""
        params = {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
        return self._json("/web/dataset/call_kw", params)

    def assertRefused(self, answer, error="odoo.exceptions.AccessError"):
        result, name, message = answer
        self.assertEqual(name, error, f"not refused as {error}: {result!r} {message!r}")
        return message

    def assertAnswered(self, answer):
        result, name, message = answer
        self.assertFalse(name, f"refused: {name} {message}")
        return result

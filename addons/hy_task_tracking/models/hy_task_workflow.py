from odoo import _, models
from odoo.exceptions import UserError, ValidationError

from . import task_rules
from .hy_time import hy_today


# hy.task is split by concern on purpose (fields and CRUD, workflow, reminders): one
# file for each, as the issue on "one home for each rule" asks, not one class per module.
class HyTask(models.Model):
    """The workflow of a task (Art. 6, 7): the Office's actions and the lead unit's, each
    checking who may take it and in which status, then changing the workflow's fields as
    superuser (see hy.write.guard)."""

    _inherit = "hy.task"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ actions (buttons)

    def action_assign(self):
        """Office: send draft (or adjusted returned) tasks to their lead unit."""
        self._check_office()
        self.check_access("write")
        self._check_states(("draft", "returned"), _("Assigning"))
        missing = self.filtered(lambda t: not t.lead_unit_id)
        if missing:
            raise UserError(_("Choose the lead unit of task %s first.", missing[0].reference))
        today = hy_today()
        for task in self:
            vals = {"state": "assigned", "return_reason": False}
            if not task.date_assigned:
                vals["date_assigned"] = today
            if not task.date_received:
                # Sent through the software, the task reaches the unit the day it is sent.
                vals["date_received"] = task.date_assigned or today
            if not task.original_deadline:
                vals["original_deadline"] = task.deadline
            # sudo: the status and the dates of assignment are the workflow's, checked above.
            task.sudo().write(vals)  # sudo: the workflow's fields, checked above
            task._subscribe_unit_members()
        return True

    def action_accept(self):
        """The lead unit accepts the task and starts working on it."""
        self.check_access("write")
        self._check_states(("assigned",), _("Accepting"))
        self.sudo().write({"state": "in_progress"})  # sudo: the status is the workflow's
        return True

    def action_cancel(self):
        self._check_office()
        self.check_access("write")
        self._check_states(("draft", "assigned", "returned", "in_progress"), _("Cancelling"))
        self.extension_ids._close_without_decision(_("the task was cancelled."))
        self.sudo().write({"state": "cancelled"})  # sudo: the status is the workflow's
        return True

    def action_reset_to_draft(self):
        self._check_office()
        self.check_access("write")
        self._check_states(("cancelled",), _("Resetting to draft"))
        self.sudo().write({"state": "draft"})  # sudo: the status is the workflow's
        return True

    def action_view_directive(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hy.directive",
            "res_id": self.directive_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _open_workflow_wizard(self, step):
        self.ensure_one()
        Wizard = self.env["hy.task.workflow.wizard"]
        steps = dict(Wizard._fields["step"]._description_selection(self.env))
        return {
            "type": "ir.actions.act_window",
            "name": steps[step],
            "res_model": "hy.task.workflow.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_task_id": self.id, "default_step": step},
        }

    def action_open_return_wizard(self):
        return self._open_workflow_wizard("return")

    def action_open_transfer_wizard(self):
        return self._open_workflow_wizard("transfer")

    def action_open_done_wizard(self):
        return self._open_workflow_wizard("report_done")

    def action_open_evaluate_wizard(self):
        return self._open_workflow_wizard("evaluate")

    def action_open_send_back_wizard(self):
        return self._open_workflow_wizard("send_back")

    def action_open_extension_wizard(self):
        return self._open_workflow_wizard("request_extension")

    def action_open_for_unit_wizard(self):
        return self._open_workflow_wizard("for_unit")

    def action_approve_pending_extension(self):
        self.ensure_one()
        return self.pending_extension_id.action_approve()

    def action_refuse_pending_extension(self):
        self.ensure_one()
        return self.pending_extension_id.action_refuse()

    # ------------------------------------------------------------------ business methods

    def _return_to_office(self, reason):
        """The lead unit sends the task back with its reason (Art. 6.2.a).

        For a classified task the reason goes on paper through the classified channel
        (Art. 7.3): the software records the return only.
        """
        self.check_access("write")
        self._check_states(("assigned", "in_progress"), _("Returning"))
        reason = (reason or "").strip()
        # sudo: the status and the reason are the workflow's, checked here.
        for task in self:
            if task.is_classified:
                task.sudo().write({"state": "returned", "return_reason": False})  # sudo: above
                continue
            broken = task_rules.return_reason_missing(self.env, False, reason)
            if broken:
                raise UserError(broken)
            task.sudo().with_context(hy_ledger_note=reason).write(  # sudo: see above
                {"state": "returned", "return_reason": reason}
            )
            task.message_post(
                body=_("Returned to the Provincial Office. Reason: %s", reason),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def _transfer_to_unit(self, unit, reason):
        """Office: move the task to another lead unit, keeping the history (Art. 6.2.a)."""
        self._check_office()
        self.check_access("write")
        self._check_states(("assigned", "returned", "in_progress"), _("Transferring"))
        if not unit:
            raise UserError(_("Choose the unit that takes over the task."))
        for task in self:
            if task.lead_unit_id == unit:
                raise UserError(
                    _(
                        "Task %(task)s is already led by %(unit)s.",
                        task=task.reference,
                        unit=unit.name,
                    )
                )
        self.extension_ids._close_without_decision(_("the task was transferred to %s.", unit.name))
        for task in self:
            # sudo: a transfer is recorded by this method only, after the checks above.
            transfer = (
                self.env["hy.task.transfer"]
                .sudo()  # sudo: the workflow's fields, checked above
                .create(
                    {
                        "task_id": task.id,
                        "from_unit_id": task.lead_unit_id.id,
                        "to_unit_id": unit.id,
                        # The reason of a classified task goes on paper (Art. 7.3).
                        "reason": False if task.is_classified else reason,
                        "user_id": self.env.uid,
                    }
                )
            )
            task.sudo().with_context(  # sudo: the workflow's fields, checked above
                hy_ledger_transfer_id=transfer.id,
                hy_ledger_note=reason,
                hy_ledger_note_on="lead_unit_id",
            ).write(
                {
                    "lead_unit_id": unit.id,
                    "support_unit_ids": [(3, unit.id)],
                    "state": "assigned",
                    "return_reason": False,
                    "progress": 0,
                }
            )
        self._subscribe_unit_members()
        # A new unit must not reuse links shared with the previous one.
        self.sudo().write({"access_token": False})  # sudo: the token is not user-writable

    def _report_done(self, result, date_done):
        """The lead unit (or the Office on its behalf) reports completion."""
        self.check_access("write")
        self._check_states(("assigned", "in_progress"), _("Reporting completion"))
        if not self.env.su:
            # The Office reports on behalf of the units that do not use the software only
            # (Art. 6.1.b): a connected unit reports its own results.
            members = self.env.user.sudo().hy_unit_ids  # sudo: one's own units
            for_unit = self.filtered(
                lambda t: t.lead_unit_id not in members and t.lead_unit_id.connected
            )
            if for_unit:
                raise UserError(
                    _(
                        "%s uses the software: it reports the completion of its tasks itself.",
                        for_unit[0].lead_unit_id.name,
                    )
                )
        broken = task_rules.date_done_missing(self.env, "done", date_done)
        if broken:
            raise UserError(broken)
        if not all(task.is_classified for task in self) and not (result or "").strip():
            unclassified = self.filtered(lambda t: not t.is_classified)
            raise UserError(_("Please describe the result of task %s.", unclassified[0].reference))
        self.extension_ids._close_without_decision(_("the task was reported done."))
        for task in self:
            vals = {"state": "done", "date_done": date_done, "progress": 100}
            if not task.is_classified:
                vals["result"] = result.strip()
            # sudo: the status, the date and the result are the workflow's, checked here.
            if task.state == "assigned":
                # Accepting and finishing in one go still passes through "in progress".
                task.sudo().write({"state": "in_progress"})  # sudo: the status, see above
            task.sudo().write(vals)  # sudo: the workflow's fields, checked above

    # ------------------------------------------------------------------ the unit's side
    # The lead unit's actions, with the same rules whether they come from the portal or
    # from the unit's own system through the API. Each returns False when it was already
    # done (a form or a message sent twice), so that a retry is answered, not refused.
    # Wrong values raise ValidationError; a task in another status, UserError.

    def _unit_accept(self):
        self.ensure_one()
        if self.state == "in_progress":
            return False
        self.action_accept()
        return True

    def _unit_return(self, reason):
        self.ensure_one()
        if self.state == "returned":
            return False
        broken = task_rules.return_reason_missing(self.env, self.is_classified, reason)
        if broken:
            raise ValidationError(broken)
        self._return_to_office((reason or "").strip())
        return True

    def _unit_report_done(self, result, date_done):
        self.ensure_one()
        if self.state == "done":
            return False
        env = self.env
        broken = (
            task_rules.date_done_missing(env, "done", date_done)
            or task_rules.date_done_in_future(env, date_done, hy_today())
            or task_rules.done_before_assigned(env, date_done, self.date_assigned)
        )
        if broken:
            raise ValidationError(broken)
        result = (result or "").strip()
        if not self.is_classified and not result:
            raise ValidationError(_("Please describe the result."))
        self._report_done(None if self.is_classified else result, date_done)
        return True

    def _unit_request_extension(self, new_deadline, reason):
        self.ensure_one()
        if self.extension_pending:
            pending = self.extension_ids.filtered(lambda e: e.state == "requested")[:1]
            if pending.requested_by_id == self.env.user and pending.new_deadline == new_deadline:
                return False
        # The rules are the extension's own (hy.task.extension._check_request).
        reason = (reason or "").strip()
        self.env["hy.task.extension"].create(
            {
                "task_id": self.id,
                "new_deadline": new_deadline,
                # The reason of a classified task goes on paper (Art. 7.3).
                "reason": False if self.is_classified else reason,
            }
        )
        return True

    def _evaluate_and_confirm(self, quality, comment=None, effectiveness=None):
        """Office leadership evaluates the quality (and effectiveness) of the reported result
        and confirms it."""
        self._check_office(manager=True)
        self.check_access("write")
        not_done = self.filtered(lambda t: t.state != "done")
        if not_done:
            raise UserError(
                _(
                    "Task %s has not been reported done: it cannot be confirmed.",
                    not_done[0].reference,
                )
            )
        if not quality:
            raise UserError(_("Please evaluate the quality of the result."))
        # sudo: the evaluation and the confirmation are the workflow's, checked here.
        self.sudo().write(  # sudo: the workflow's fields, checked above
            {
                **self._evaluation_values(quality, effectiveness, comment),
                "confirmed": True,
                "confirmed_by_id": self.env.user.id,
                "confirmed_date": hy_today(),
            }
        )

    def _evaluate(self, quality, effectiveness, comment=None):
        """Office leadership evaluates the quality and effectiveness of a task the periods
        count, finished or not (Art. 7.1.g): an open task is judged on the work so far. A
        reported result is evaluated with its confirmation (_evaluate_and_confirm)."""
        self._check_office(manager=True)
        self.check_access("write")
        self._check_states(("assigned", "returned", "in_progress"), _("Evaluating"))
        if not quality or not effectiveness:
            raise UserError(_("Please evaluate both the quality and the effectiveness."))
        # sudo: the evaluation is the workflow's, checked here.
        self.sudo().write(self._evaluation_values(quality, effectiveness, comment))  # sudo: above

    def _evaluation_values(self, quality, effectiveness, comment):
        classified = any(self.mapped("is_classified"))
        return {
            "quality": quality,
            "effectiveness": effectiveness or False,
            # A classified task holds no text (Art. 7.2): the comment goes on paper.
            "quality_comment": False if classified else (comment or False),
            "evaluation_date": hy_today(),
            "evaluated_by_id": self.env.uid,
        }

    def _send_back(self, comment):
        """Office: the reported result is not accepted; the unit goes on working."""
        self._check_office()
        self.check_access("write")
        self._check_states(("done",), _("Sending back"))
        comment = (comment or "").strip()
        if not comment and not all(self.mapped("is_classified")):
            raise UserError(_("Please say why the result is sent back."))
        results = {task: task.result for task in self}
        progress_before = self._progress_before_report()
        # What the unit's report set is undone: status, date, result and progress. A confirmed
        # result is reopened here only: its evaluation goes with it.
        for task in self:
            # sudo: the status and the confirmation are the workflow's, checked here.
            task.sudo().with_context(hy_ledger_note=comment).write(  # sudo: see above
                {
                    "state": "in_progress",
                    "date_done": False,
                    "result": False,
                    "progress": progress_before[task],
                    "confirmed": False,
                    "quality": False,
                    "effectiveness": False,
                    "evaluation_date": False,
                    "evaluated_by_id": False,
                    "quality_comment": False,
                    "confirmed_by_id": False,
                    "confirmed_date": False,
                }
            )
        for task in self.filtered(lambda t: not t.is_classified):
            # The result sent back stays readable in the chatter.
            task.message_post(
                body=_(
                    "Result sent back to the unit: %(comment)s (the result reported: %(result)s)",
                    comment=comment,
                    result=results[task] or "",
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    def _progress_before_report(self):
        """{task: its progress before its unit reported it done} (the report sets 100 %)."""
        # sudo: the ledger is the Office's; only the progress figure is read from it.
        entries = (
            self.env["hy.task.ledger"]
            .sudo()  # sudo: see above
            .search_read(
                [("task_id", "in", self.ids), ("change", "=", "progress")],
                ["task_id", "old_value", "new_value"],
                order="timestamp desc, id desc",
            )
        )
        before = {}
        for entry in entries:
            task_id = entry["task_id"][0]
            if task_id not in before:
                before[task_id] = int(entry["old_value"] or 0)
        return {task: min(before.get(task.id, 0), 99) for task in self}

    def _subscribe_unit_members(self):
        for task in self:
            partners = (task.lead_unit_id | task.support_unit_ids).user_ids.partner_id
            if partners:
                task.message_subscribe(partner_ids=partners.ids)

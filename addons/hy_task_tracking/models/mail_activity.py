from odoo import _, api, models
from odoo.exceptions import ValidationError
from odoo.tools import is_html_empty

from .classified import (
    CLASSIFIED_MODELS,
    classified_records,
    security_level_of,
    unit_membership_opens,
    user_cleared_for,
)


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._check_classified_activity()
        return activities

    def write(self, vals):
        res = super().write(vals)
        if {"note", "summary", "user_id", "res_model", "res_id"} & set(vals):
            self._check_classified_activity()
        return res

    def _check_classified_activity(self):
        """On a classified record an activity is a reminder with a type and a date, given to
        someone cleared for it or working in the unit concerned: no note, no summary."""
        # sudo: the guard applies to every activity, whoever creates it.
        ours = self.sudo().filtered(lambda a: a.res_model in CLASSIFIED_MODELS)
        for res_model in set(ours.mapped("res_model")):
            activities = ours.filtered(lambda a, m=res_model: a.res_model == m)
            classified = classified_records(self.env, res_model, activities.mapped("res_id"))
            # The records as one prefetch set: their units and levels read once for all.
            records = {record.id: record for record in classified}
            for activity in activities.filtered(lambda a, ids=set(records): a.res_id in ids):
                record = records[activity.res_id]
                if not is_html_empty(activity.note) or activity.summary:
                    raise ValidationError(
                        _("An activity on a classified record cannot carry a note or a summary.")
                    )
                task = record if record._name == "hy.task" else None
                unit_users = (task.lead_unit_id | task.support_unit_ids).user_ids if task else None
                in_unit = bool(unit_users) and activity.user_id in unit_users
                if not user_cleared_for(activity.user_id, security_level_of(record)) and not (
                    in_unit and unit_membership_opens(activity.user_id)
                ):
                    raise ValidationError(
                        _("%s is not cleared for this classified record.", activity.user_id.name)
                    )

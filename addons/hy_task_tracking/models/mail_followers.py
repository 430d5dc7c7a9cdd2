from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import ValidationError

from .classified import (
    CLASSIFIED_MODELS,
    classified_records,
    security_level_of,
    unit_membership_opens,
    user_cleared_for,
)


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model_create_multi
    def create(self, vals_list):
        followers = super().create(vals_list)
        followers._check_classified_followers()
        return followers

    def _check_classified_followers(self):
        """Only the assigned units' members (unit users and portal members: see
        ``unit_membership_opens``) and cleared users follow a classified record."""
        # sudo: the guard applies to every follower, whoever subscribes them.
        ours = self.sudo().filtered(lambda f: f.res_model in CLASSIFIED_MODELS)
        for res_model in set(ours.mapped("res_model")):
            followers = ours.filtered(lambda f, m=res_model: f.res_model == m)
            classified = classified_records(self.env, res_model, followers.mapped("res_id"))
            for follower in followers.filtered(lambda f, ids=set(classified.ids): f.res_id in ids):
                record = classified.browse(follower.res_id)
                users = follower.partner_id.user_ids
                level = security_level_of(record)
                if record._name == "hy.task":
                    allowed = (record.lead_unit_id | record.support_unit_ids).user_ids
                elif "task_id" in record._fields:  # a task's record with a chatter
                    allowed = record.task_id.lead_unit_id.user_ids
                else:
                    allowed = record.task_ids.lead_unit_id.user_ids
                if not users or not any(
                    u.id == SUPERUSER_ID
                    or (u in allowed and unit_membership_opens(u))
                    or user_cleared_for(u, level)
                    for u in users
                ):
                    raise ValidationError(
                        _(
                            "%s cannot follow a classified record: only the assigned units' "
                            "members and cleared users can.",
                            follower.partner_id.display_name,
                        )
                    )

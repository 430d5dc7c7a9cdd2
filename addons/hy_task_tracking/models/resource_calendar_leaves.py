from datetime import time

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .hy_time import HY_TZ, hy_today


class ResourceCalendarLeaves(models.Model):
    """Public holidays, Tết and compensatory days off of the Office's calendar."""

    _inherit = "resource.calendar.leaves"

    hy_holiday_key = fields.Char(
        string="Generated For",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The public holiday (its date in the holidays library) this day was generated "
        "for; empty for a day the Office entered. Generating the year again never creates "
        "it twice, even after the Office moved or renamed it.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("hy_office_calendar") and "date_from" in fields_list:
            # A day off of the Office is a whole day in Hà Nội, not the hours of a calendar.
            Calendar = self.env["resource.calendar"]
            tz = pytz.timezone(HY_TZ)
            today = hy_today()
            values["date_from"] = Calendar._hy_utc(today, time.min, tz)
            values["date_to"] = Calendar._hy_utc(today, time(23, 59, 59), tz)
        return values

    @api.model
    def action_hy_generate_holidays(self):
        """The Office's button: this year's and next year's holidays, bringing back the
        generated days that were deleted, never duplicating nor changing any other."""
        if not self.env.user.has_group("hy_task_tracking.group_office_manager"):
            raise AccessError(_("Only the Office managers can generate the public holidays."))
        Calendar = self.env["resource.calendar"]
        today = hy_today()
        created = Calendar._hy_office_calendar()._hy_generate_vn_holidays(
            [today.year, today.year + 1], force=True
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": _("%s public holiday(s) added.", len(created)),
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

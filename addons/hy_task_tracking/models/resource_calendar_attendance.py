from odoo import api, fields, models


class ResourceCalendarAttendance(models.Model):
    """A dated attendance of the Office's calendar is an extra working day: a Saturday
    worked in exchange for a day off that the Government announced (ngày làm bù)."""

    _inherit = "resource.calendar.attendance"

    hy_holiday_key = fields.Char(
        string="Generated For",
        readonly=True,
        copy=False,
        help="Set when the day came from the holidays library's table of swapped days; "
        "empty for a day the Office entered.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("hy_extra_working_day"):
            for vals in vals_list:
                self._hy_one_day(vals)
        return super().create(vals_list)

    def write(self, vals):
        if self.env.context.get("hy_extra_working_day"):
            self._hy_one_day(vals)
        return super().write(vals)

    @api.model
    def _hy_one_day(self, vals):
        """An extra working day entered by the Office holds on its date only, whatever its
        day of the week."""
        if vals.get("date_from"):
            day = fields.Date.to_date(vals["date_from"])
            vals.update(date_to=day, dayofweek=str(day.weekday()))

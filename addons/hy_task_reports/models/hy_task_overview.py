from odoo import _, models
from odoo.tools import format_date, format_datetime
from odoo.tools.misc import formatLang

from odoo.addons.hy_task_tracking.models.hy_time import HY_TZ

from .hy_report_period import TOTAL_FIELDS
from .report_figures import shown_rate


class HyTaskOverview(models.AbstractModel):
    _inherit = "hy.task.overview"

    def _latest_report(self):
        """The latest approved (or published) periodic report the user may read: its frozen
        figures, not live ones, so the overview shows what was signed."""
        period = self.env["hy.report.period"].search(
            [("state", "in", ("approved", "published"))],
            # A report without an approval date (published before it was recorded) is not the
            # latest one: PostgreSQL sorts NULLs first in a descending order otherwise.
            order="approved_date desc nulls last, id desc",
            limit=1,
        )
        if not period:
            return False
        states = dict(period._fields["state"]._description_selection(self.env))
        period_dates = {
            "state": states[period.state],
            "date_from": format_date(self.env, period.date_from),
            "date_to": format_date(self.env, period.date_to),
        }
        if period.approved_date:
            # In the user's time zone, Hà Nội's by default: the period's dates are Hà Nội's.
            approved = format_datetime(
                self.env, period.approved_date, tz=self.env.user.tz or HY_TZ, dt_format="short"
            )
            status = _(
                "%(state)s on %(date)s · %(date_from)s – %(date_to)s",
                date=approved,
                **period_dates,
            )
        else:
            status = _("%(state)s · %(date_from)s – %(date_to)s", **period_dates)
        # The totals of the lines the user reads: a unit's own, the province's for the Office
        # and the leadership (the stored totals are theirs only: field groups).
        mine = {name: period[f"my_{name}"] for name in TOTAL_FIELDS}
        on_time = shown_rate(mine, "on_time_rate")
        # A rate of nothing, or a figure the report did not count yet, is "–", never 0.
        blank = "–"
        turns = period.turns_counted
        return {
            "model": period._name,
            "id": period.id,
            "name": period.name,
            "status": status,
            "figures": [
                {"label": _("Tasks counted"), "value": period.my_assigned_count},
                {"label": _("Done (confirmed)"), "value": period.my_done_count},
                {
                    "label": _("On-time rate"),
                    "value": blank
                    if on_time is None
                    else f"{formatLang(self.env, on_time, digits=2)} %",
                },
                {"label": _("Overdue at the end of the period"), "value": period.my_overdue_count},
                {
                    "label": _("Working days with the units"),
                    "value": period.my_unit_days if turns else blank,
                },
                {
                    "label": _("Working days with the Office"),
                    "value": period.my_office_days if turns else blank,
                },
            ],
        }

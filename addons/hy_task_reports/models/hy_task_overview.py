from odoo import _, models
from odoo.tools import format_date, format_datetime
from odoo.tools.misc import formatLang


class HyTaskOverview(models.AbstractModel):
    _inherit = "hy.task.overview"

    def _latest_report(self):
        """The latest approved (or published) periodic report the user may read: its frozen
        figures, not live ones, so the overview shows what was signed."""
        period = self.env["hy.report.period"].search(
            [("state", "in", ("approved", "published"))],
            order="approved_date desc, id desc",
            limit=1,
        )
        if not period:
            return False
        states = dict(period._fields["state"]._description_selection(self.env))
        status = _(
            "%(state)s on %(date)s · %(date_from)s – %(date_to)s",
            state=states[period.state],
            date=format_datetime(self.env, period.approved_date, dt_format="short"),
            date_from=format_date(self.env, period.date_from),
            date_to=format_date(self.env, period.date_to),
        )
        # read(), not the fields: a unit reads the figures of its own line, not the province's
        # totals, which the period masks for it (hy.report.period._masked_fields).
        figures = period.read(["assigned_count", "done_count", "on_time_rate", "overdue_count"])[0]
        on_time = (
            f"{formatLang(self.env, figures['on_time_rate'], digits=2)} %"
            if figures["on_time_rate"] is not False
            else "–"
        )
        return {
            "model": period._name,
            "id": period.id,
            "name": period.name,
            "status": status,
            "figures": [
                {"label": _("Tasks counted"), "value": figures["assigned_count"]},
                {"label": _("Done (confirmed)"), "value": figures["done_count"]},
                {"label": _("On-time rate"), "value": on_time},
                {"label": _("Overdue at the end of the period"), "value": figures["overdue_count"]},
            ],
        }

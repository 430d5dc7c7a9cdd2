import { Component, onWillStart } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { View } from "@web/views/view";

/**
 * The leadership overview: key figures, two charts (Odoo graph views: a click opens the
 * tasks behind a bar or a point) and short lists. Everything comes from
 * hy.task.overview.get_overview(), read as the user.
 */
export class TaskOverview extends Component {
    static template = "hy_task_tracking.TaskOverview";
    static components = { Layout, View };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        onWillStart(async () => {
            this.data = await this.orm.call("hy.task.overview", "get_overview", []);
        });
    }

    /** Props of an embedded graph view over the records (tasks, ledger entries) of ``chart``. */
    graphProps(chart) {
        return {
            resModel: chart.model,
            type: "graph",
            viewId: chart.view_id,
            views: [[chart.view_id, "graph"]],
            domain: chart.domain,
            // Months without a confirmed result are left out, not drawn as empty bars.
            context: { fill_temporal: false },
            display: { controlPanel: false },
            useSampleModel: false,
        };
    }

    open(action) {
        return this.actionService.doAction(action);
    }

    openTask(taskId) {
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: "hy.task",
            res_id: taskId,
            views: [[false, "form"]],
        });
    }

    openReport(report) {
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: report.model,
            res_id: report.id,
            views: [[false, "form"]],
        });
    }
}

registry.category("actions").add("hy_task_overview", TaskOverview);

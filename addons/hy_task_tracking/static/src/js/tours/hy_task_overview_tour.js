/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * The Chairman logs in, lands on the overview, clicks the first bar of "overdue tasks by lead
 * unit" and gets exactly the tasks behind it. Started by tests/test_overview_tour.py.
 */
registry.category("web_tour.tours").add("hy_task_overview_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The app opens on the overview, with its key figures",
            trigger: ".o_hy_overview .o_hy_kpi[name='overdue']",
        },
        {
            content: "Click the first bar: the unit with the most overdue tasks",
            trigger: ".o_hy_overdue_chart .o_graph_canvas_container canvas",
            run() {
                const chart = window.Chart.getChart(this.anchor);
                // The bars of units lie horizontally: the middle of the bar, either way.
                const { x, y } = chart.getDatasetMeta(0).data[0].getCenterPoint();
                const rect = this.anchor.getBoundingClientRect();
                const position = {
                    bubbles: true,
                    clientX: rect.left + x,
                    clientY: rect.top + y,
                };
                this.anchor.dispatchEvent(new MouseEvent("mousemove", position));
                this.anchor.dispatchEvent(new MouseEvent("click", position));
            },
        },
        {
            content: "The list of the tasks behind the bar opens",
            trigger: ".o_breadcrumb .active:contains('Overdue Tasks by Lead Unit')",
        },
        {
            content: "It holds the five overdue tasks of the unit, and no other",
            trigger:
                ".o_list_renderer:has(.o_data_row:nth-child(5)):not(:has(.o_data_row:nth-child(6)))",
        },
        {
            content: "All of them are the unit's",
            trigger:
                ".o_list_renderer:not(:has(.o_data_row:not(:contains('Sở Khoa học và Công nghệ (thử)'))))",
        },
    ],
});

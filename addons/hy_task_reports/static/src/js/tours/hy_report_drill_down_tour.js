/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * The Office opens a computed report, clicks one figure of a unit and gets exactly the tasks
 * it counts. Started by tests/test_drill_down_tour.py.
 */
registry.category("web_tour.tours").add("hy_report_drill_down_tour", {
    steps: () => [
        {
            content: "Click the overdue tasks in progress of unit A",
            trigger:
                ".o_field_widget[name='line_ids'] .o_data_row:contains('Sở Nội vụ (thử)') " +
                "td[name='in_progress_overdue_count'] a.o_hy_report_figure:contains('3')",
            run: "click",
        },
        {
            content: "The list of tasks is named after the unit and the figure",
            trigger: ".o_breadcrumb .active:contains('Sở Nội vụ (thử)')",
        },
        {
            content: "It holds the three tasks of the figure, and no other",
            trigger: ".o_list_renderer:has(.o_data_row:nth-child(3)):not(:has(.o_data_row:nth-child(4)))",
        },
    ],
});

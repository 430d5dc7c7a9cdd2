/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * A unit member opens its overdue task from the portal home, posts a progress update,
 * then reports the task done. Started by tests/test_portal_tour.py as a portal user.
 */
registry.category("web_tour.tours").add("hy_task_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The home page counts the unit's overdue tasks",
            trigger: ".o_portal_index_card:not(.d-none) a[href*='filterby=overdue']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the overdue task",
            trigger: "tr:has(.o_hy_badge[data-category='not_started_overdue']) a.o_hy_task_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The task says how late it is",
            trigger: ".o_hy_deadline_text:contains('overdue')",
        },
        {
            content: "Open the progress update form",
            trigger: "button.o_hy_open_update",
            run: "click",
        },
        {
            content: "Progress",
            trigger: "#hy_form_update.show input[name='progress']",
            run: "edit 60",
        },
        {
            content: "What was done",
            trigger: "#hy_form_update textarea[name='note']",
            run: "edit Đã hoàn thành kiểm kê, đang lập phương án bồi thường",
        },
        {
            content: "Post the update",
            trigger: "#hy_form_update button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The update is confirmed and listed",
            trigger: ".o_hy_flash",
        },
        {
            content: "The update is in the history",
            trigger: ".o_hy_update:contains('đang lập phương án bồi thường')",
        },
        {
            content: "Open the completion form",
            trigger: "button.o_hy_open_done",
            run: "click",
        },
        {
            content: "Describe the result",
            trigger: "#hy_form_done.show textarea[name='result']",
            run: "edit Đã bàn giao mặt bằng cho chủ đầu tư",
        },
        {
            content: "Report completion",
            trigger: "#hy_form_done button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            // Reported is not done: the task is with the Office until it confirms the result.
            content: "The task now waits for the Office's confirmation",
            trigger:
                ".o_hy_badge[data-category='done_unconfirmed']:contains('awaiting confirmation')",
        },
    ],
});

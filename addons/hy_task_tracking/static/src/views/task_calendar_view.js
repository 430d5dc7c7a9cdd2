import { registry } from "@web/core/registry";
import { CalendarCommonRenderer } from "@web/views/calendar/calendar_common/calendar_common_renderer";
import { CalendarRenderer } from "@web/views/calendar/calendar_renderer";
import { calendarView } from "@web/views/calendar/calendar_view";

/**
 * Deadlines in the calendar take the colour of their task's status: the status shown
 * (progress_status, reported apart from done), or the national category in a view that
 * shows only that one.
 */
export class TaskCalendarCommonRenderer extends CalendarCommonRenderer {
    eventClassNames({ event }) {
        const classes = super.eventClassNames(...arguments);
        const raw = this.props.model.records[event.id]?.rawRecord;
        const category = raw && (raw.progress_status || raw.status_category);
        if (category) {
            classes.push("o_hy_status_event", `o_hy_status_bg_${category}`);
        }
        return classes;
    }
}

export class TaskCalendarRenderer extends CalendarRenderer {
    static components = {
        ...CalendarRenderer.components,
        day: TaskCalendarCommonRenderer,
        week: TaskCalendarCommonRenderer,
        month: TaskCalendarCommonRenderer,
    };
}

export const taskCalendarView = {
    ...calendarView,
    Renderer: TaskCalendarRenderer,
};

registry.category("views").add("hy_task_calendar", taskCalendarView);

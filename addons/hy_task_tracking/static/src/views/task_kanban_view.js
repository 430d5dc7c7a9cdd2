import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { KanbanHeader } from "@web/views/kanban/kanban_header";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";
import { kanbanView } from "@web/views/kanban/kanban_view";

// Fields whose empty value means "no status": a draft or a cancelled task.
const STATUS_FIELDS = ["progress_status", "status_category"];

/**
 * Tasks without a status (drafts and cancelled tasks) gather in one column: say what it
 * holds instead of Odoo's "None".
 */
export class TaskKanbanHeader extends KanbanHeader {
    _getEmptyGroupLabel(fieldName) {
        if (STATUS_FIELDS.includes(fieldName)) {
            return _t("No status (draft or cancelled)");
        }
        return super._getEmptyGroupLabel(...arguments);
    }
}

export class TaskKanbanRenderer extends KanbanRenderer {
    static components = {
        ...KanbanRenderer.components,
        KanbanHeader: TaskKanbanHeader,
    };
}

export const taskKanbanView = {
    ...kanbanView,
    Renderer: TaskKanbanRenderer,
};

registry.category("views").add("hy_task_kanban", taskKanbanView);

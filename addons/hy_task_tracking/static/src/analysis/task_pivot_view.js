import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { PivotArchParser } from "@web/views/pivot/pivot_arch_parser";
import { pivotView } from "@web/views/pivot/pivot_view";

/** Pivots of tasks: the count is a number of tasks, and says so. */
export class TaskPivotArchParser extends PivotArchParser {
    parse(arch) {
        const archInfo = super.parse(...arguments);
        archInfo.fieldAttrs.__count = {
            ...archInfo.fieldAttrs.__count,
            string: _t("Number of Tasks"),
        };
        return archInfo;
    }
}

export const taskPivotView = {
    ...pivotView,
    ArchParser: TaskPivotArchParser,
};

registry.category("views").add("hy_task_pivot", taskPivotView);

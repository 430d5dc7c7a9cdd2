/** @odoo-module **/
// A figure of a task report that opens the tasks it counts (drill-down).

import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { FloatField, floatField } from "@web/views/fields/float/float_field";
import { IntegerField, integerField } from "@web/views/fields/integer/integer_field";

function setupDrillDown(component) {
    component.orm = useService("orm");
    component.action = useService("action");
}

async function openTasks(component) {
    const record = component.props.record;
    const action = await component.orm.call(record.resModel, "action_open_tasks", [
        [record.resId],
        component.props.name,
    ]);
    await component.action.doAction(action);
}

export class ReportFigureField extends IntegerField {
    static template = "hy_task_reports.ReportFigureField";
    static props = { ...IntegerField.props, blankUnless: { type: String, optional: true } };
    get formattedValue() {
        // A figure the report did not count (approved before it existed) is blank, not 0.
        const { blankUnless, record } = this.props;
        return blankUnless && !record.data[blankUnless] ? "–" : super.formattedValue;
    }
    setup() {
        super.setup();
        setupDrillDown(this);
    }
    get clickable() {
        const { blankUnless, record } = this.props;
        return Boolean(record.resId && this.value && (!blankUnless || record.data[blankUnless]));
    }
    onClick() {
        return openTasks(this);
    }
}

export class ReportFigureFloatField extends FloatField {
    static template = "hy_task_reports.ReportFigureField";
    static props = { ...FloatField.props, blankUnless: { type: String, optional: true } };
    get formattedValue() {
        // A rate of nothing (no task done) is blank, not 0.
        const { blankUnless, record } = this.props;
        return blankUnless && !record.data[blankUnless] ? "–" : super.formattedValue;
    }
    setup() {
        super.setup();
        setupDrillDown(this);
    }
    get clickable() {
        // A rate opens the tasks it is computed from, even when it is 0.
        const { blankUnless, record } = this.props;
        return Boolean(record.resId && (blankUnless ? record.data[blankUnless] : this.value));
    }
    onClick() {
        return openTasks(this);
    }
}

registry.category("fields").add("hy_report_figure", {
    ...integerField,
    component: ReportFigureField,
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...integerField.extractProps(fieldInfo, dynamicInfo),
        blankUnless: fieldInfo.options.blank_unless,
    }),
});
registry.category("fields").add("hy_report_figure_float", {
    ...floatField,
    component: ReportFigureFloatField,
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...floatField.extractProps(fieldInfo, dynamicInfo),
        blankUnless: fieldInfo.options.blank_unless,
    }),
});

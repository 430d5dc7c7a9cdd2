import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { GraphArchParser } from "@web/views/graph/graph_arch_parser";
import { GraphRenderer } from "@web/views/graph/graph_renderer";
import { graphView } from "@web/views/graph/graph_view";
import { statusColor } from "./status_colors";

/** Graphs of tasks: counted in tasks, on whole-number axes, in the status colours. */
export class TaskGraphArchParser extends GraphArchParser {
    parse(arch, fields) {
        const archInfo = super.parse(arch, fields);
        archInfo.fieldAttrs.__count = {
            ...archInfo.fieldAttrs.__count,
            string: _t("Number of Tasks"),
        };
        return archInfo;
    }
}

// The fields whose values are status keys coloured by status_colors.scss: the status shown
// (reported apart until confirmed) and the six national categories (tasks, ledger entries).
const STATUS_FIELDS = ["progress_status", "status_category"];

export class TaskGraphRenderer extends GraphRenderer {
    /** The status field the chart is grouped by, if any. */
    get categoryField() {
        const groupBy = this.model.metaData.groupBy.map((gb) => gb.fieldName);
        return groupBy.find((name) => STATUS_FIELDS.includes(name));
    }

    /** {label: status key} of the grouped status field, as the graph labels them. */
    get categoryKeys() {
        const field = this.model.metaData.fields[this.categoryField];
        const selection = field?.selection || [];
        return Object.fromEntries(selection.map(([key, label]) => [label, key]));
    }

    /** Which part of the chart shows the statuses: "labels", "datasets" or nothing. */
    get categoryAxis() {
        const groupBy = this.model.metaData.groupBy.map((gb) => gb.fieldName);
        const { mode } = this.model.metaData;
        if (groupBy.length === 1 && STATUS_FIELDS.includes(groupBy[0])) {
            return "labels";
        }
        if (mode !== "pie" && groupBy.length === 2 && STATUS_FIELDS.includes(groupBy[1])) {
            return "datasets";
        }
        return null;
    }

    /** Recolours ``data`` (what Odoo's renderer built) by status, in their order. */
    colorByCategory(data) {
        const axis = this.categoryAxis;
        const keys = this.categoryKeys;
        const { mode } = this.model.metaData;
        if (axis === "labels") {
            const colors = data.labels.map((label) => statusColor(keys[label]) || "#adb5bd");
            for (const dataset of data.datasets) {
                if (dataset.type === "line") {
                    continue;
                }
                dataset.backgroundColor = colors;
                dataset.hoverBackgroundColor = colors;
                if (mode === "line") {
                    dataset.pointBackgroundColor = colors;
                }
            }
        } else if (axis === "datasets") {
            const order = Object.values(keys);
            const rank = (dataset) => {
                const index = order.indexOf(keys[dataset.label]);
                return index === -1 ? order.length : index;
            };
            data.datasets.sort((a, b) => rank(a) - rank(b));
            for (const dataset of data.datasets) {
                const color = statusColor(keys[dataset.label]);
                if (!color || dataset.type === "line") {
                    continue;
                }
                if (mode === "line") {
                    Object.assign(dataset, {
                        borderColor: color,
                        pointBackgroundColor: color,
                        hoverBackgroundColor: color,
                    });
                } else {
                    dataset.backgroundColor = color;
                }
            }
        }
        return data;
    }

    getBarChartData() {
        const data = this.colorByCategory(super.getBarChartData());
        // Odoo draws the total of stacked bars as a line joining the categories: across units
        // it zig-zags and means nothing; the length of each stacked bar is its total already.
        data.datasets = data.datasets.filter((dataset) => dataset.type !== "line");
        return data;
    }

    /**
     * Bars of units (or any other grouping but dates) lie horizontally: the unit names read
     * on one line at the left, on a phone too, and the chart grows with their number.
     */
    get horizontal() {
        const { mode, groupBy, fields } = this.model.metaData;
        if (mode !== "bar" || !groupBy.length) {
            return false;
        }
        return !["date", "datetime"].includes(fields[groupBy[0].fieldName]?.type);
    }

    getChartConfig() {
        const config = super.getChartConfig();
        if (this.horizontal) {
            const { x, y } = config.options.scales;
            config.options.indexAxis = "y";
            // The category axis (units) on the left, the counts along the bottom.
            config.options.scales = { x: y, y: x };
            const { labels } = this.model.data;
            // Chart.js gives the names at most half the width and cuts the rest: on a phone,
            // a long name goes on two lines.
            x.ticks.callback = (value, index) => this.wrapLabel(String(labels[index] ?? ""));
            if (config.options.plugins?.tooltip) {
                Object.assign(config.options.plugins.tooltip, { xAlign: "left", yAlign: "center" });
            }
        }
        return config;
    }

    /** ``label``, in two lines (an array, for Chart.js) when long on a small screen. */
    wrapLabel(label) {
        if (!this.env.isSmall || label.length <= 16) {
            return label;
        }
        const middle = label.length / 2;
        let cut = -1;
        for (let index = label.indexOf(" "); index !== -1; index = label.indexOf(" ", index + 1)) {
            if (cut === -1 || Math.abs(index - middle) < Math.abs(cut - middle)) {
                cut = index;
            }
        }
        return cut === -1 ? label : [label.slice(0, cut), label.slice(cut + 1)];
    }

    renderChart() {
        const container = this.containerRef.el;
        if (container) {
            // A bar per unit (two lines of name on a phone), never less than the view gives.
            const bars = this.horizontal ? this.model.data.labels.length : 0;
            const step = this.env.isSmall ? 36 : 28;
            container.style.minHeight = bars ? `${bars * step + 90}px` : "";
        }
        super.renderChart();
    }

    getLineChartData() {
        const data = this.colorByCategory(super.getLineChartData());
        for (const dataset of data.datasets) {
            // Straight segments: a curve would suggest values between the months.
            dataset.cubicInterpolationMode = "default";
        }
        return data;
    }

    getPieChartData() {
        return this.colorByCategory(super.getPieChartData());
    }

    getScaleOptions() {
        const scales = super.getScaleOptions();
        const { fields, measure } = this.model.metaData;
        if (scales.y && (measure === "__count" || fields[measure]?.type === "integer")) {
            // Counts of tasks and whole percentages: 0, 1, 2..., never 0,50.
            scales.y.ticks.precision = 0;
            scales.y.ticks.callback = (value) => this.formatValue(value, true);
        }
        return scales;
    }
}

export const taskGraphView = {
    ...graphView,
    ArchParser: TaskGraphArchParser,
    Renderer: TaskGraphRenderer,
};

registry.category("views").add("hy_task_graph", taskGraphView);

import { registry } from "@web/core/registry";
import { BadgeField, badgeField } from "@web/views/fields/badge/badge_field";

/** A status category as a badge in its own colour (see status_colors.scss). */
export class StatusBadgeField extends BadgeField {
    get classFromDecoration() {
        const category = this.props.record.data[this.props.name];
        return category ? `o_hy_status_bg_${category}` : super.classFromDecoration;
    }
}

registry.category("fields").add("hy_status_badge", {
    ...badgeField,
    component: StatusBadgeField,
    supportedTypes: ["selection"],
});

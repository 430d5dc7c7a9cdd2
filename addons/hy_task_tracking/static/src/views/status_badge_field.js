import { registry } from "@web/core/registry";
import { BadgeField, badgeField } from "@web/views/fields/badge/badge_field";

/**
 * A status as a badge in its own colour (see status_colors.scss): the status shown
 * (progress_status) or the national category (status_category), whose keys share the colours.
 */
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

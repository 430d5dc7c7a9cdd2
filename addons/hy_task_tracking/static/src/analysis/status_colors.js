/** The colours of the status categories, read from status_colors.scss (the one declaration). */

/**
 * @param {string} category a status category key, e.g. "done_on_time"
 * @returns {string} its colour, or "" when the key has none
 */
export function statusColor(category) {
    return getComputedStyle(document.documentElement)
        .getPropertyValue(`--o-hy-status-${category}`)
        .trim();
}

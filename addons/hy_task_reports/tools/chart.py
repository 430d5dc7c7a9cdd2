"""The geometry of the public page's chart: plain values for an inline SVG, no colour.

The template colours each segment with the status classes of
hy_task_tracking/static/src/scss/status_colors.scss, keyed by category, and formats the
counts in the visitor's language.
"""

LABEL_WIDTH = 310  # the units' names, left of the bars (the SVG is 1000 wide)
BAR_WIDTH = 600  # the longest bar: the unit with the most tasks
ROW_HEIGHT = 28


def stacked_bars(lines, figures, labels):
    """Stacked horizontal bars, one per line of ``lines`` (the public figures of a unit).

    ``figures`` maps each category, in the order of the bar, to the figure of a line that
    counts it; a bar has a segment per category with a count. ``labels`` names the categories.
    """
    widest = max([line["assigned_count"] for line in lines] or [0]) or 1
    bars = []
    for line in lines:
        x, segments = 0.0, []
        for key, figure in figures.items():
            count = line[figure]
            width = BAR_WIDTH * count / widest
            if count:
                segments.append(
                    {
                        "x": round(LABEL_WIDTH + x, 2),
                        "width": round(width, 2),
                        "key": key,
                        "label": labels[key],
                        "count": count,
                    }
                )
            x += width
        bars.append(
            {
                "label": line["unit_name"],
                "total": line["assigned_count"],
                "end": LABEL_WIDTH + x,
                "segments": segments,
            }
        )
    legend = [{"key": key, "label": labels[key]} for key in figures]
    return {"bars": bars, "legend": legend, "height": ROW_HEIGHT * len(bars) + 10}

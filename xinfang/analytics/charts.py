"""Server-rendered SVG charts (no JavaScript, no CDN): a column chart for trends, bars for compositions.

Each chart takes rows of ``{"label", "count", "drill"}`` and returns safe markup; every bar links to the list
of the cases it counts. Text is escaped here, so labels may come from the database.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#b91c1c", "#1d4ed8", "#047857", "#b45309", "#7c3aed", "#0e7490", "#be185d", "#4b5563")


def _link(href: str | None, inner: str) -> str:
    return f'<a href="{escape(href)}">{inner}</a>' if href else inner


def column_chart(rows: list[dict], title: str, height: int = 180) -> SafeString:
    """Vertical columns, one per row (months of a trend), the count above each column."""
    if not rows:
        return mark_safe(f'<p class="muted">{escape(title)}：暂无数据</p>')
    step = 56
    width = max(step * len(rows) + 20, 240)
    top = max(r["count"] for r in rows) or 1
    plot = height - 50  # room for the count above the tallest column and the labels below
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="10" y1="{plot + 20}" x2="{width - 10}" y2="{plot + 20}" stroke="#9ca3af"/>',
    ]
    for i, row in enumerate(rows):
        h = round(plot * row["count"] / top)
        x = 20 + i * step
        y = plot + 20 - h
        label = escape(row["label"])
        bar = (
            f'<rect x="{x}" y="{y}" width="36" height="{h}" fill="{PALETTE[0]}">'
            f"<title>{label}：{row['count']}</title></rect>"
            f'<text x="{x + 18}" y="{y - 4}" text-anchor="middle" font-size="12">{row["count"]}</text>'
        )
        parts.append(_link(row.get("drill"), bar))
        parts.append(
            f'<text x="{x + 18}" y="{height - 12}" text-anchor="middle" font-size="11">{label}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(rows: list[dict], title: str, limit: int = 10) -> SafeString:
    """Horizontal bars with the label, count and share of the total; the largest `limit` rows."""
    if not rows:
        return mark_safe(f'<p class="muted">{escape(title)}：暂无数据</p>')
    total = sum(r["count"] for r in rows) or 1
    rows = rows[:limit]
    top = max(r["count"] for r in rows) or 1
    row_h, label_w, bar_w = 24, 150, 240
    width, height = label_w + bar_w + 110, row_h * len(rows) + 10
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, row in enumerate(rows):
        y = 5 + i * row_h
        w = max(round(bar_w * row["count"] / top), 1)
        label = escape(row["label"])
        share = f"{100 * row['count'] / total:.1f}%"
        bar = (
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">{label}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="16" fill="{PALETTE[i % len(PALETTE)]}">'
            f"<title>{label}：{row['count']}（{share}）</title></rect>"
            f'<text x="{label_w + w + 6}" y="{y + 15}" font-size="12">{row["count"]}（{share}）</text>'
        )
        parts.append(_link(row.get("drill"), bar))
    parts.append("</svg>")
    return mark_safe("".join(parts))

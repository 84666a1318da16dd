"""Bar charts as PNG for the monthly report (.docx cannot hold the dashboard's SVG): drawn with Pillow, labelled
with the Noto Sans CJK font from the noto-cjk-sans-otc package (offline, no system font needed)."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

PALETTE = ((185, 28, 28), (29, 78, 216))  # this month, last month
INK, MUTED, GRID = (31, 41, 51), (107, 114, 128), (229, 231, 235)
SCALE = 2  # drawn at twice the size, so the picture stays sharp when Word scales it to the page width


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont:
    import noto_cjk_sans_otc

    path = Path(noto_cjk_sans_otc.__file__).parent / "NotoSansCJK-Regular.ttc"
    return ImageFont.truetype(str(path), size * SCALE, index=2)  # index 2: the Simplified Chinese face


def bars_png(title: str, rows: list[tuple[str, int, int]], *, limit: int = 10) -> bytes:
    """Horizontal bars: for each (label, this month, last month) a pair of bars with the counts at their ends.
    The `limit` largest rows are drawn; an empty list gives a chart that says so."""
    rows = sorted(rows, key=lambda r: -r[1])[:limit]
    s = SCALE
    label_w, bar_w, row_h, top = 150 * s, 380 * s, 34 * s, 56 * s
    width, height = label_w + bar_w + 70 * s, top + max(len(rows), 1) * row_h + 20 * s
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    draw.text((10 * s, 8 * s), title, fill=INK, font=_font(15))
    for i, (name, colour) in enumerate((("本月", PALETTE[0]), ("上月", PALETTE[1]))):
        x = width - (150 - i * 70) * s
        draw.rectangle((x, 14 * s, x + 14 * s, 26 * s), fill=colour)
        draw.text((x + 18 * s, 10 * s), name, fill=MUTED, font=_font(12))
    if not rows:
        draw.text((10 * s, top), "本月无数据", fill=MUTED, font=_font(13))
    peak = max((max(now, before) for _, now, before in rows), default=1) or 1
    for i, (label, now, before) in enumerate(rows):
        y = top + i * row_h
        draw.line((label_w, y + row_h - 2 * s, label_w + bar_w, y + row_h - 2 * s), fill=GRID, width=s)
        shown = label if len(label) <= 9 else label[:8] + "…"
        draw.text((10 * s, y + 6 * s), shown, fill=INK, font=_font(12))
        for j, (value, colour) in enumerate(((now, PALETTE[0]), (before, PALETTE[1]))):
            y0 = y + 4 * s + j * 13 * s
            x1 = label_w + int(bar_w * value / peak)
            draw.rectangle((label_w, y0, max(x1, label_w + s), y0 + 10 * s), fill=colour)
            draw.text((x1 + 4 * s, y0 - 3 * s), str(value), fill=MUTED, font=_font(10))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()

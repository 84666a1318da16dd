"""GB/T 9704-style helpers for official Word documents (公文格式).

Page: A4, margins 37/35/28/26 mm. Title 方正小标宋简体 二号 centred; body 仿宋_GB2312 三号 with a
two-character first-line indent and fixed 28 pt line spacing; level-1 headings 黑体, level-2 楷体.
East-Asian font names are written to ``w:eastAsia`` explicitly so Word does not fall back to 宋体.
Every text goes through ``core.text.xml_safe`` on its way in: a control character stored in a case
(pasted from Word) must never make lxml refuse the document.
"""

import datetime

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from xinfang.core.text import xml_safe

TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "黑体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312"}
ASCII_FONT = "Times New Roman"
SIZE_ERHAO = 22  # 二号
SIZE_SANHAO = 16  # 三号
SIZE_SIHAO = 14  # 四号
CN_DIGITS = "〇一二三四五六七八九"


def _run(paragraph, text):
    """A run holding ``text`` minus what XML cannot hold."""
    return paragraph.add_run(xml_safe(str(text)))


def set_run_font(run, east_asia=BODY_FONT, ascii=ASCII_FONT, size_pt=SIZE_SANHAO, bold=False):
    """Set a run's fonts, writing w:eastAsia explicitly (python-docx only sets ascii/hAnsi)."""
    run.font.name = ascii
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), ascii)
    fonts.set(qn("w:hAnsi"), ascii)
    return run


def _fixed_spacing(paragraph, line_pt=28):
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pt)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    return fmt


def new_document():
    """A blank A4 document with 公文 margins and 仿宋 三号 as the Normal style."""
    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = ASCII_FONT
    normal.font.size = Pt(SIZE_SANHAO)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return doc


def add_title(doc, text, font=TITLE_FONT):
    """Centred 二号 title (方正小标宋简体; pass font=TITLE_FALLBACK for 黑体)."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fixed_spacing(p, 36)
    set_run_font(_run(p, text), east_asia=font, size_pt=SIZE_ERHAO)
    return p


def add_heading_cn(doc, text, level=1):
    """Level-1 heading in 黑体, level-2 in 楷体 (三号), indented like body text."""
    p = doc.add_paragraph()
    fmt = _fixed_spacing(p)
    fmt.first_line_indent = Pt(SIZE_SANHAO * 2)
    set_run_font(_run(p, text), east_asia=HEADING_FONTS.get(level, BODY_FONT), size_pt=SIZE_SANHAO)
    return p


def add_body(doc, text, bold=False):
    """Body paragraph: 仿宋 三号, first-line indent of two characters, 28 pt fixed line spacing."""
    p = doc.add_paragraph()
    fmt = _fixed_spacing(p)
    fmt.first_line_indent = Pt(SIZE_SANHAO * 2)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    set_run_font(_run(p, text), bold=bold)
    return p


def chinese_date(value: datetime.date) -> str:
    """2024-03-05 → 二〇二四年三月五日 (the 公文 成文日期 form)."""

    def num(n):
        if n < 10:
            return CN_DIGITS[n]
        tens, units = divmod(n, 10)
        return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + ("" if units == 0 else CN_DIGITS[units])

    year = "".join(CN_DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{num(value.month)}月{num(value.day)}日"


def add_signature(doc, org_name, date):
    """Right-aligned 发文机关署名 and 成文日期 (Chinese numerals)."""
    paragraphs = []
    for text in (org_name, chinese_date(date)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt = _fixed_spacing(p)
        fmt.right_indent = Pt(SIZE_SANHAO * 4)
        set_run_font(_run(p, text))
        paragraphs.append(p)
    return paragraphs


def add_table(doc, headers, rows, size_pt=10.5):
    """A bordered table: bold 黑体 header row, 仿宋 cells; values are str()-ed, None → empty."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_run_font(_run(cell.paragraphs[0], text), east_asia="黑体", size_pt=size_pt, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            text = "" if value is None else str(value)
            set_run_font(_run(cell.paragraphs[0], text), size_pt=size_pt)
    return table

import io
from datetime import date

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from xinfang.documents.docx_style import (
    add_body,
    add_heading_cn,
    add_signature,
    add_table,
    add_title,
    chinese_date,
    new_document,
)


def east_asia(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def reopen(doc) -> Document:
    buf = io.BytesIO()
    doc.save(buf)
    buf.seek(0)
    return Document(buf)


def test_gbt_9704_fonts_sizes_and_layout_survive_a_save():
    doc = new_document()
    add_title(doc, "2025年度某区信访局部门整体支出绩效自评报告")
    add_heading_cn(doc, "一、基本情况", 1)
    add_heading_cn(doc, "（一）部门职能", 2)
    add_body(doc, "正文 2025 年")
    add_signature(doc, "某区信访局", date(2025, 12, 20))
    add_table(doc, ["指标", "得分"], [["按期办结率", None]])
    doc = reopen(doc)
    title, h1, h2, body, org, when = doc.paragraphs
    assert [east_asia(p.runs[0]) for p in (title, h1, h2, body)] == [
        "方正小标宋简体",
        "黑体",
        "楷体_GB2312",
        "仿宋_GB2312",
    ]
    assert title.runs[0].font.size == Pt(22) and body.runs[0].font.size == Pt(16)
    assert body.runs[0].font.name == "Times New Roman"
    assert body.paragraph_format.first_line_indent == Pt(32) and body.paragraph_format.line_spacing == Pt(28)
    assert title.alignment == 1 and org.alignment == 2 and when.text == "二〇二五年十二月二十日"
    assert [c.text for c in doc.tables[0].rows[1].cells] == ["按期办结率", ""]
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28


def test_chinese_dates():
    assert chinese_date(date(2024, 10, 10)) == "二〇二四年十月十日"
    assert chinese_date(date(2023, 1, 31)) == "二〇二三年一月三十一日"

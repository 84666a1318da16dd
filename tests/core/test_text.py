"""clean_text / xml_safe: what text pasted from Word or sent by a broken client turns into."""

from xinfang.core.text import clean_text, xml_safe


def test_word_line_and_page_breaks_become_newlines():
    assert (
        clean_text("第一行\x0b第二行\x0c第三行\r\n第四行\r第五行") == "第一行\n第二行\n第三行\n第四行\n第五行"
    )


def test_other_control_characters_are_dropped_but_tab_and_newline_kept():
    assert clean_text("张\x00伟\x07\x1b\x7f\x9b") == "张伟"
    assert clean_text("甲\t乙\n丙") == "甲\t乙\n丙"


def test_lone_surrogates_are_dropped_and_pairs_joined():
    assert clean_text("反映\ud800问题\udfff") == "反映问题"
    assert clean_text("\ud83d\ude00") == "😀"


def test_text_is_nfc_and_stripped():
    assert clean_text("  cafe\u0301 \n") == "café"


def test_one_line_fields_get_spaces_for_line_breaks():
    assert clean_text("反映\x0b小区\t\n噪声", multiline=False) == "反映 小区 噪声"


def test_xml_safe_keeps_what_xml_can_hold():
    assert xml_safe("甲\x0b乙\x0c丙\x00丁\x07\ud800\t戊\n") == "甲\n乙\n丙丁\t戊\n"
    assert xml_safe("普通文本") == "普通文本"


def test_clean_char_field_cleans_before_the_nul_check():
    from xinfang.core.forms import CleanCharField

    assert CleanCharField().clean(" 标题\x0b续\x00 ") == "标题 续"
    assert CleanCharField(multiline=True).clean("甲\x0b乙\x00") == "甲\n乙"
    assert CleanCharField(required=False).clean("") == ""

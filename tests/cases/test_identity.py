from datetime import date

import pytest

from xinfang.cases.identity import (
    check_digit,
    id_number_error,
    make_id_number,
    mask_id,
    mask_phone,
    mask_text,
    phone_error,
)


def test_it_accepts_a_valid_check_digit():
    assert id_number_error("11010519491231002X") is None
    assert id_number_error("11010519491231002x") is None  # lower-case x is normalised


@pytest.mark.parametrize("last", list("0123456789"))
def test_it_rejects_every_wrong_check_digit(last):
    assert "校验位" in id_number_error("11010519491231002" + last)


def test_it_rejects_bad_length_and_impossible_birth_dates():
    assert "18位" in id_number_error("1101051949123100")
    assert "出生日期" in id_number_error("110105194902300021"[:17] + check_digit("11010519490230002"))


def test_generated_test_numbers_are_valid():
    for serial in range(50):
        assert id_number_error(make_id_number("440111", date(1980, 5, 17), serial)) is None


def test_masking_hides_the_middle():
    assert mask_id("11010519491231002X") == "110105**********2X"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_id("") == "" and mask_phone("") == ""


def test_phone_validation():
    assert phone_error("13800138000") is None
    assert phone_error("020-12345678") is None
    assert "联系电话" in phone_error("12345")


def test_free_text_masks_both_id_generations_and_phones():
    note = "信访人身份证11010519491231002X，旧证110105491231002，电话13800138000。"
    masked = mask_text(note)
    assert "11010519491231002X" not in masked and "110105**********2X" in masked
    assert "110105491231002" not in masked and "110105*******02" in masked
    assert "13800138000" not in masked and "138****8000" in masked


def test_fifteen_digits_that_are_not_an_old_id_stay():
    # Digits 7–12 are no date (month 13), and a 16-digit number is no ID of either generation.
    assert mask_text("订单号110105491331002") == "订单号110105491331002"
    assert mask_text("账号1101054912310021") == "账号1101054912310021"

from decimal import Decimal

import pytest

from xinfang.performance.exchange import ExchangeError, dump, parse

from .helpers import FIXTURES, evaluation, row


def test_round_trip_keeps_everything_including_unknown_keys():
    import json

    for name in ("seed_000.json", "seed_001.json", "seed_003.json"):
        data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
        data["x_vendor_field"] = {"any": 1}
        ev = parse(data)
        again = parse(dump(ev))
        assert again == ev and dump(again)["x_vendor_field"] == {"any": 1}


def test_operator_symbols_and_grade_names_are_normalised():
    ev = parse(
        evaluation(row(operator="≥"), row(operator="qualitative", grade="部分达成年度指标并具有一定效果"))
    )
    assert ev.indicators[0].operator == ">=" and ev.indicators[1].grade == "部分达成"


@pytest.mark.parametrize(
    "change,field",
    [
        ({"kind": "team"}, "kind"),
        ({"money_unit": "千元"}, "money_unit"),
        ({"year": "二〇二五"}, "year"),
        ({"kind": "project", "project": ""}, "project"),
        ({"format": "other/1"}, "format"),
        ({"budget": {"full_year": "3,2O"}}, "budget.full_year"),
        ({"indicators": [row(operator="≈")]}, "indicators[0].operator"),
    ],
)
def test_bad_input_names_the_field(change, field):
    with pytest.raises(ExchangeError) as exc:
        parse(evaluation(**change))
    assert exc.value.field == field


def test_amounts_are_decimals():
    ev = parse(evaluation())
    assert ev.budget.executed == Decimal("316.80") and isinstance(ev.execution_weight, Decimal)


def test_text_from_the_exchange_file_is_normalised():
    ev = parse(evaluation(notes="第一段\x0b第二段\x00\x07", indicators=[row(note="Cafe\u0301\r\n")]))
    assert ev.notes == "第一段\n第二段" and ev.indicators[0].note == "Caf\u00e9"

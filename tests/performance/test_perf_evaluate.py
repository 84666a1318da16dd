"""`manage.py perf_evaluate` on the three seed fixtures (domain/performance.md seeds 000, 001, 003)."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from .helpers import FIXTURES, evaluation, row

TWO_PLACES = re.compile(r"^-?\d+\.\d{2}$")


def evaluate_json(path) -> dict:
    out = StringIO()
    call_command("perf_evaluate", str(path), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def assert_contract(out: dict):
    for key in ("execution_rate", "execution_score", "indicators", "total", "grade", "claimed_total",
                "claimed_grade", "findings"):  # fmt: skip
        assert key in out
    for key in ("execution_rate", "execution_score"):
        assert TWO_PLACES.match(out[key]), key
    # Nothing scored (no indicator table, or no row with a weight): no total and no grade.
    if not any(i["computed_score"] for i in out["indicators"]):
        assert out["total"] is None and out["grade"] is None
        return
    assert TWO_PLACES.match(out["total"])
    for ind in out["indicators"]:
        assert "computed_score" in ind and "claimed_score" in ind
        assert ind["computed_score"] is None or TWO_PLACES.match(ind["computed_score"])
    for f in out["findings"]:
        assert set(f) >= {"code", "message", "index"} and f["message"]
    scored = sum(float(i["computed_score"]) for i in out["indicators"] if i["computed_score"])
    assert round(float(out["execution_score"]) + scored, 2) == float(out["total"])


def test_seed_000_rate_shares_income_and_missing_grade():
    out = evaluate_json(FIXTURES / "seed_000.json")
    assert_contract(out)
    assert out["execution_rate"] == "98.23" and out["execution_score"] == "9.82"
    assert out["claimed_total"] is None and out["claimed_grade"] is None
    messages = {f["code"]: f["message"] for f in out["findings"]}
    assert "99.49%" in messages["sum_mismatch"]
    assert {"execution_from_income", "grade_missing", "score_unverifiable"} <= set(messages)
    assert "rate_mismatch" not in messages  # 98.23% is printed correctly


def test_seed_001_rate_score_unit_mismatch_and_duplicate():
    out = evaluate_json(FIXTURES / "seed_001.json")
    assert_contract(out)
    assert out["execution_rate"] == "98.88" and out["execution_score"] == "9.89"
    assert len(out["indicators"]) == 9
    found = {(f["code"], f["index"]) for f in out["findings"]}
    assert ("unit_mismatch", 3) in found  # "75%以上" vs "14.23分（满分15分）"
    assert ("duplicate_indicator", 6) in found  # 经济效益 "社会大局" repeats a 社会效益 row
    assert ("nature_mismatch", 0) in found  # qualitative target, "100%" actual
    assert out["indicators"][1]["computed_score"] == "15.00"  # 区领导重点约访 25 ≥ 20
    assert "total_mismatch" in {c for c, _ in found}


def test_seed_003_printed_99_is_98_85():
    out = evaluate_json(FIXTURES / "seed_003.json")
    assert_contract(out)
    assert out["execution_rate"] == "98.85" and out["execution_score"] == "9.88"
    rate = [f for f in out["findings"] if f["code"] == "rate_mismatch"]
    assert len(rate) == 1 and "98.85%" in rate[0]["message"] and rate[0]["index"] is None
    assert sum(f["code"] == "empty_indicator" for f in out["findings"]) == len(out["indicators"]) == 7
    assert "grade_missing" in {f["code"] for f in out["findings"]}


def test_claimed_total_and_grade_when_scores_are_claimed(tmp_path):
    data = evaluation(row(claimed_score="15"), row(level3="乙", actual="20", weight=75, claimed_score="74.5",
                                                   deviation_reason="x"), claimed_execution_score="9.9")  # fmt: skip
    path = tmp_path / "ev.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = evaluate_json(path)
    assert out["execution_rate"] == "99.00" and out["total"] == "99.90" and out["grade"] == "优"
    assert out["claimed_total"] == "99.40" and out["claimed_grade"] == "优"
    assert [i["claimed_score"] for i in out["indicators"]] == ["15.00", "74.50"]
    assert ("score_mismatch", 1) in {(f["code"], f["index"]) for f in out["findings"]}


def test_text_output_is_a_chinese_summary():
    out = StringIO()
    call_command("perf_evaluate", str(FIXTURES / "seed_003.json"), stdout=out)
    text = out.getvalue()
    assert "执行率 98.85%" in text and "[rate_mismatch]" in text
    assert "不计总分和等级" in text and "总分 9.88" not in text  # 7 rows without weights: no score to total


def test_bad_file_gives_a_chinese_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(evaluation(row(weight="十五"))), encoding="utf-8")
    with pytest.raises(CommandError, match=r"indicators\[0\]\.weight"):
        call_command("perf_evaluate", str(path), "--format", "json")
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("perf_evaluate", str(tmp_path / "none.json"))

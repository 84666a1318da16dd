"""A self-evaluation file nested too deep or holding lone surrogates is refused in Chinese, never a crash."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_user
from xinfang.core.jsoninput import JSONInputError, loads
from xinfang.orgs.roles import Role
from xinfang.performance.models import Evaluation

DEEP = "[" * 100_000 + "]" * 100_000
NESTED = '{"year": 2025, "extra": ' + '{"a":' * 200 + "1" + "}" * 200 + "}"
SURROGATE = '{"year": 2025, "organisation": "\\udc00区信访局"}'


@pytest.mark.parametrize("text", [DEEP, NESTED])
def test_perf_evaluate_refuses_deep_nesting(tmp_path, text):
    path = tmp_path / "deep.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="嵌套层数过多"):
        call_command("perf_evaluate", str(path))


def test_perf_evaluate_refuses_lone_surrogates(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(SURROGATE, encoding="utf-8")
    with pytest.raises(CommandError, match="代理项"):
        call_command("perf_evaluate", str(path))


def test_perf_evaluate_refuses_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "gbk.json"
    path.write_bytes('{"organisation": "信访局"}'.encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("perf_evaluate", str(path))


@pytest.mark.django_db
@pytest.mark.parametrize("text", [DEEP, NESTED, SURROGATE])
def test_the_import_page_refuses_hostile_files_with_a_chinese_400(client, district, text):
    client.force_login(make_user(Role.FINANCE, district.bureau))
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "evil.json"
    response = client.post("/performance/evaluations/import/", {"file": upload})
    assert response.status_code == 400 and "导入失败" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_the_loader_accepts_ordinary_json_and_names_the_position_of_an_error():
    assert loads(b'{"a": ["\\ud83d\\ude00", 1]}') == {"a": ["\U0001f600", 1]}
    with pytest.raises(JSONInputError, match="第 1 行"):
        loads("{")

import io

import pytest
from django.core.management import CommandError, call_command

from xinfang.calendar.models import HolidayOverride
from xinfang.calendar.services import set_year_complete

pytestmark = pytest.mark.django_db


def run(*args, stdin: str | None = None) -> str:
    out = io.StringIO()
    extra = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
    call_command("deadline", *args, stdout=out, **extra)
    return out.getvalue()


def test_single_day_query_rolls_past_national_day():
    assert run("2024-09-16", "15", "day") == "2024-10-08\n"


def test_single_workday_query():
    assert run("2025-01-24", "5", "workday") == "2025-02-07\n"


def test_no_roll_forward_option_keeps_the_nominal_date():
    assert run("2024-09-16", "15", "day", "--no-roll-forward") == "2024-10-01\n"


def test_unknown_year_is_marked_provisional():
    assert run("2026-12-20", "15", "day") == "2027-01-04 provisional\n"


def test_filled_year_is_no_longer_provisional():
    HolidayOverride.objects.create(date="2027-01-04", is_working_day=False, name="测试休息日")
    assert run("2026-12-20", "15", "day") == "2027-01-05 provisional\n"  # one row is not a schedule
    set_year_complete(2027, True)
    assert run("2026-12-20", "15", "day") == "2027-01-05\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2024/09/16", "15", "day"), "起始日期格式不正确"),
        (("2024-02-30", "15", "day"), "起始日期不存在"),
        (("2024-09-16", "-3", "day"), "天数必须是 0 到 3650 之间的整数"),
        (("2024-09-16", "15", "week"), "单位必须是 day（自然日）或 workday（工作日）"),
        (("2024-09-16", "15"), "用法"),
    ],
)
def test_bad_arguments_give_a_chinese_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_stdin_answers_each_line_in_order():
    lines = "2024-09-16 15 day\n2024-09-30 15 day\n2025-01-24 5 workday\n2026-12-28 5 workday\n"
    assert run("--stdin", stdin=lines).splitlines() == [
        "2024-10-08",
        "2024-10-15",
        "2025-02-07",
        "2027-01-04 provisional",
    ]


def test_stdin_bad_lines_answer_with_errors_and_the_command_fails_at_the_end():
    out = io.StringIO()
    lines = "2024-09-16 15 day\n2024-09-16 15\n\n2024-13-01 1 day\n2024-09-30 15 day\n"
    with pytest.raises(CommandError, match="共 2 行输入有误"):
        call_command("deadline", "--stdin", stdout=out, stdin=io.StringIO(lines))
    assert out.getvalue().splitlines() == [
        "2024-10-08",
        "error: 每行应为“起始日期 天数 单位”三项，实际 2 项",
        "",
        "error: 起始日期不存在：2024-13-01",
        "2024-10-15",
    ]


def test_stdin_batch_queries_the_database_once_per_year(django_assert_num_queries):
    lines = "".join(
        f"2024-{m:02d}-{d:02d} {n} day\n" for m in range(1, 13) for d in (1, 15) for n in (15, 30, 60)
    )
    with django_assert_num_queries(2):  # 2024 and 2025
        answers = run("--stdin", stdin=lines * 20).splitlines()
    assert len(answers) == 12 * 2 * 3 * 20
    assert "provisional" not in "".join(answers)


def test_stdin_mode_reads_the_process_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("2024-09-16 15 day\n2026-12-20 15 day\n"))
    out = io.StringIO()
    call_command("deadline", "--stdin", stdout=out)
    assert out.getvalue() == "2024-10-08\n2027-01-04 provisional\n"


def test_stdin_flag_with_positional_arguments_is_refused():
    with pytest.raises(CommandError, match="不能同时给出"):
        run("--stdin", "2024-09-16", "15", "day", stdin="")

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_user
from xinfang.audit.models import AuditEvent
from xinfang.calendar.importer import ImportFailed, import_holidays
from xinfang.calendar.models import CalendarYear, HolidayOverride
from xinfang.calendar.services import Due, add_days, add_working_days, day_status, set_year_complete
from xinfang.orgs.roles import Role

pytestmark = pytest.mark.django_db

# A made-up 2027 schedule for tests (the real one is published by the State Council each winter).
SCHEDULE_2027 = """date,is_working_day,name
2027-01-01,休息日,元旦
2027-02-05,否,春节
2027-02-06,0,春节
2027-02-07,false,春节
2027-02-08,休息日,春节
2027-02-09,休息日,春节
2027-02-10,休息日,春节
2027-02-11,休息日,春节
2027-02-12,休息日,春节
2027-02-13,是,春节调休上班
2027-02-14,工作日,春节调休上班
"""


def test_import_fills_2027_so_deadlines_are_no_longer_provisional():
    assert add_days(date(2027, 1, 20), 15) == Due(date(2027, 2, 4), True)
    result = import_holidays(SCHEDULE_2027.encode())
    assert (len(result.created), len(result.updated), result.years) == (11, 0, [2027])
    assert add_days(date(2027, 1, 20), 15) == Due(date(2027, 2, 4), True)  # rows in, year not yet marked
    set_year_complete(2027, True)
    assert add_days(date(2027, 1, 20), 15) == Due(date(2027, 2, 4), False)
    # 2027-01-21 + 15 = 2027-02-05, an override rest day: rolls past the holiday to the make-up Saturday
    assert add_days(date(2027, 1, 21), 15) == Due(date(2027, 2, 13), False)
    assert day_status(date(2027, 2, 14)) == (True, True)  # Sunday make-up day
    assert day_status(date(2027, 3, 6)) == (False, True)  # plain Saturday, year now known
    assert add_working_days(date(2027, 2, 4), 2) == Due(date(2027, 2, 14), False)


def test_crossing_from_2026_into_imported_2027_honours_new_years_day():
    assert add_days(date(2026, 12, 17), 15) == Due(date(2027, 1, 1), True)
    import_holidays(SCHEDULE_2027)
    assert add_days(date(2026, 12, 17), 15) == Due(date(2027, 1, 4), True)
    set_year_complete(2027, True)
    assert add_days(date(2026, 12, 17), 15) == Due(date(2027, 1, 4), False)


def test_reimporting_the_same_file_updates_rather_than_duplicates():
    import_holidays(SCHEDULE_2027)
    again = import_holidays(SCHEDULE_2027)
    assert (again.created, again.updated, again.unchanged) == ([], [], 11)
    assert HolidayOverride.objects.count() == 11
    changed = SCHEDULE_2027.replace("2027-01-01,休息日,元旦", "2027-01-01,1,元旦（测试改为上班）")
    third = import_holidays(changed)
    assert third.updated == ["2027-01-01"]
    assert HolidayOverride.objects.count() == 11
    assert HolidayOverride.objects.get(date=date(2027, 1, 1)).is_working_day is True


def test_a_bad_row_rejects_the_whole_file_with_row_numbers():
    bad = (
        SCHEDULE_2027
        + "2027/10/01,休息日,国庆节\n2027-02-30,0,不存在\n2027-10-02,也许,国庆节\n2027-01-01,0,重复\n"
    )
    with pytest.raises(ImportFailed) as info:
        import_holidays(bad)
    assert info.value.errors == [
        "第13行：日期格式不正确（应为 YYYY-MM-DD）",
        "第14行：日期不存在：2027-02-30",
        "第15行：是否工作日取值不正确（可填 1/0、true/false、是/否、工作日/休息日）",
        "第16行：日期 2027-01-01 与第2行重复",
    ]
    assert HolidayOverride.objects.count() == 0
    assert not AuditEvent.objects.filter(action="calendar.import").exists()
    assert add_days(date(2027, 1, 20), 15).provisional


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "第1行：表头应为 date,is_working_day,name"),
        ("日期,是否工作日,名称\n2027-01-01,0,元旦\n", "第1行：表头应为 date,is_working_day,name"),
        ("date,is_working_day,name\n", "文件中没有数据行"),
        ("date,is_working_day,name\n2027-01-01,0\n", "第2行：应有 3 列（日期、是否工作日、名称），实际 2 列"),
        ("date,is_working_day,name\n2027-01-01,0," + "长" * 51 + "\n", "第2行：名称过长（最多 50 个字）"),
    ],
)
def test_malformed_files_are_rejected(text, error):
    with pytest.raises(ImportFailed) as info:
        import_holidays(text)
    assert info.value.errors == [error]


def test_excel_style_files_with_bom_or_gb18030_are_read():
    import_holidays("\ufeff" + SCHEDULE_2027, actor=None)
    HolidayOverride.objects.all().delete()
    import_holidays(SCHEDULE_2027.encode("gb18030"))
    assert HolidayOverride.objects.get(date=date(2027, 2, 13)).name == "春节调休上班"


def test_each_import_is_audited_with_its_changes():
    import_holidays(SCHEDULE_2027, source="2027.csv")
    event = AuditEvent.objects.get(action="calendar.import")
    assert event.object_id == "2027"
    assert event.after["source"] == "2027.csv"
    assert event.after["rows"] == 11
    assert event.after["changes"][0] == {
        "before": None,
        "after": {"date": "2027-01-01", "is_working_day": False, "name": "元旦"},
    }


def test_import_holidays_command(tmp_path: Path, capsys):
    path = tmp_path / "2027.csv"
    path.write_text(SCHEDULE_2027, encoding="utf-8")
    call_command("import_holidays", str(path))
    assert HolidayOverride.objects.filter(date__year=2027).count() == 11
    assert "新增 11 条" in capsys.readouterr().out


def test_import_holidays_command_reports_row_errors(tmp_path: Path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("date,is_working_day,name\n2027-1-1,0,元旦\n", encoding="utf-8")
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_holidays", str(path))
    assert "第2行：日期格式不正确" in capsys.readouterr().err
    assert HolidayOverride.objects.count() == 0


def test_import_holidays_command_with_complete_marks_the_year(tmp_path: Path, capsys, district):
    admin = make_user(Role.ADMIN, district.bureau, username="caladmin")
    path = tmp_path / "2027.csv"
    path.write_text(SCHEDULE_2027, encoding="utf-8")
    assert add_days(date(2027, 1, 20), 15).provisional
    call_command("import_holidays", str(path), "--complete", "--user", "caladmin")
    row = CalendarYear.objects.get(year=2027)
    assert row.complete and row.marked_by == admin
    assert add_days(date(2027, 1, 20), 15) == Due(date(2027, 2, 4), False)
    assert "已将2027年节假日安排标记为已完整" in capsys.readouterr().out
    event = AuditEvent.objects.get(action="calendar.year.complete")
    assert event.actor_id == admin.pk
    assert event.after["overrides"] == 11 and event.after["via"] == "import:2027.csv"


def test_import_without_complete_leaves_the_year_provisional(tmp_path: Path):
    path = tmp_path / "2027.csv"
    path.write_text(SCHEDULE_2027, encoding="utf-8")
    call_command("import_holidays", str(path))
    assert not CalendarYear.objects.exists()
    assert add_days(date(2027, 1, 20), 15).provisional


def test_a_rejected_import_with_complete_marks_nothing(tmp_path: Path):
    path = tmp_path / "bad.csv"
    path.write_text(SCHEDULE_2027 + "2027-10-02,也许,国庆节\n", encoding="utf-8")
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_holidays", str(path), "--complete")
    assert not CalendarYear.objects.exists() and not HolidayOverride.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="calendar").exists()
    assert add_days(date(2027, 1, 20), 15).provisional


def test_a_failed_marking_rolls_the_import_back(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("marking failed")

    monkeypatch.setattr("xinfang.calendar.importer.set_year_complete", boom)
    with pytest.raises(RuntimeError):
        import_holidays(SCHEDULE_2027, mark_complete=True)
    assert not HolidayOverride.objects.exists()
    assert not AuditEvent.objects.filter(action="calendar.import").exists()


def test_control_characters_in_a_holiday_name_are_dropped():
    import_holidays("date,is_working_day,name\n2027-10-01,休息日,国庆\x07节\x00\x0b\n".encode())
    assert HolidayOverride.objects.get(date=date(2027, 10, 1)).name == "国庆节"

"""The unit picker: grouped by kind, filterable by pinyin initials, the suggestion preselected, and an
accusation's accused chain left out of the list with the reason shown."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_org
from tests.workflow.conftest import new_case, today_is
from xinfang.cases.choices import Nature
from xinfang.cases.workflow import table as wf
from xinfang.cases.workflow.inputs import action_form
from xinfang.cases.workflow.unit_picker import initials
from xinfang.orgs.models import OrgKind

pytestmark = pytest.mark.django_db


def _groups(form) -> dict[str, list[int]]:
    return {
        label: [value for value, _ in options]
        for label, options in form.fields["unit"].choices
        if isinstance(options, list)
    }


def test_units_are_grouped_by_kind_and_carry_their_pinyin_initials(people, district):
    village = make_org("和平村", OrgKind.VILLAGE, district.towns[0])
    case = new_case(people, date(2026, 3, 2))
    form = action_form(wf.ACTIONS["forward"], case, prefix="forward")
    groups = _groups(form)
    assert people.unit.pk in groups["区直部门"] and district.towns[0].pk in groups["镇街"]
    assert village.pk in groups["村社区"]
    assert all(district.bureau.pk not in ids for ids in groups.values())  # never the bureau
    html = str(form["unit"])
    assert 'class="unit-filter"' in html and f'data-initials="{initials(people.unit.name)}"' in html
    assert initials("区住房和城乡建设局") == "qzfhcxjsj"


def test_an_accusation_hides_the_accused_unit_its_parent_and_its_sub_units_and_says_why(people, district):
    sub = make_org("区第1局执法大队", OrgKind.DEPARTMENT, people.unit)
    case = new_case(people, date(2026, 3, 2), nature=Nature.ACCUSATION, accused_organisation=sub)
    form = action_form(wf.ACTIONS["forward"], case, prefix="forward")
    offered = {pk for ids in _groups(form).values() for pk in ids}
    assert sub.pk not in offered and people.unit.pk not in offered  # the accused and its parent
    assert people.other_unit.pk in offered
    assert "已从列表中排除被反映单位（区第1局执法大队）" in form.fields["unit"].help_text


def test_the_triage_suggestion_is_preselected(people):
    from xinfang.triage.models import RecordedChoice

    with today_is(2026, 3, 2):
        case = new_case(people, date(2026, 3, 2))
        RecordedChoice.objects.create(
            case=case,
            text="噪声",
            category=case.category,
            suggested_units=[{"unit_id": people.other_unit.pk}],
        )
    form = action_form(wf.ACTIONS["forward"], case, prefix="forward")
    assert form["unit"].value() == people.other_unit.pk

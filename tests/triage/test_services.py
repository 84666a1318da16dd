"""Unit routing (事权 × 属地, catch-all, never the accused), similar and repeat cases, recorded choices, retraining."""

import pytest

from tests.factories import leaf_category, make_case, make_org, make_petitioner, make_user
from xinfang.cases.models import Category
from xinfang.cases.signals import case_registered
from xinfang.orgs.models import OrgKind
from xinfang.orgs.roles import Role
from xinfang.triage import services, training
from xinfang.triage.errors import TriageError
from xinfang.triage.models import CategoryMapping, ModelVersion, RecordedChoice, RoutingRule

from .conftest import NOISE, WAGES

pytestmark = pytest.mark.django_db

LETTER = "我家小区旁边的建筑工地连续一个月夜间施工，噪声扰民严重，老人孩子无法休息，多次打电话没有结果，请求依法查处"


def _cats():
    leaf_category()
    return list(Category.objects.filter(parent__isnull=False).order_by("code")[:2])


def test_most_specific_rule_wins_and_catch_all_covers_the_rest(district):
    cat_a, cat_b = _cats()
    town = district.towns[0]
    catch_all = district.units[1]
    RoutingRule.objects.create(unit=catch_all, basis="兜底：区信访联席会议", priority=900)
    RoutingRule.objects.create(category=cat_a, unit=district.units[0], basis="三定方案")
    RoutingRule.objects.create(category=cat_a, place=town, unit=town, basis="属地管理")
    in_town = services.suggest_units(categories=[cat_a], place=town)
    assert in_town[0].unit == town
    assert "属地管理" in in_town[0].reasons[0]
    elsewhere = services.suggest_units(categories=[cat_a], place=None)
    assert elsewhere[0].unit == district.units[0]
    other = services.suggest_units(categories=[cat_b], place=town)
    assert [u.unit for u in other] == [catch_all]


def test_accused_organisation_is_never_suggested(district):
    cat_a, _ = _cats()
    accused = district.units[0]
    sub = make_org("区第1局执法大队", OrgKind.DEPARTMENT, accused)
    RoutingRule.objects.create(category=cat_a, unit=accused, basis="三定方案")
    RoutingRule.objects.create(unit=district.units[1], basis="兜底", priority=900)
    past = make_case(title="夜间施工噪声", content=LETTER, unit=accused)
    services.index_case(past)
    similar = services.find_similar(LETTER)
    plain = services.suggest_units(categories=[cat_a], place=None, nature="appeal", similar=similar)
    assert accused in [u.unit for u in plain]
    for accused_org in (accused, sub):
        units = services.suggest_units(
            categories=[cat_a], place=None, nature="accusation", accused=accused_org, similar=similar
        )
        assert accused not in [u.unit for u in units]
        assert units and units[0].unit == district.units[1]


def test_similar_cases_highlight_shared_phrases_and_respect_visibility(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    handler = make_user(Role.HANDLER, district.units[1])
    near = make_case(title="工地夜间施工噪声扰民", content=LETTER, unit=district.units[0])
    far = make_case(title="拖欠工资", content=WAGES[0])
    for c in (near, far):
        services.index_case(c)
    edited = LETTER.replace("一个月", "两个月").replace("请求依法查处", "希望尽快解决")
    found = services.similar_cases(registrar, edited)
    assert [f.case for f in found] == [near]
    assert any(len(p) >= 4 and p in edited for p in found[0].phrases)
    assert any(shared for _, shared in found[0].segments)
    assert services.similar_cases(handler, edited) == []  # not routed to the handler's unit


def test_same_petitioner_with_similar_content_is_a_repeat(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    person = make_petitioner("李四")
    old = make_case(title="噪声", content=LETTER, petitioner=person)
    services.index_case(old)
    other = services.similar_cases(registrar, LETTER, id_numbers=["110101199001011234"])
    assert other and not other[0].is_repeat
    same = services.similar_cases(registrar, LETTER, id_numbers=[person.id_number.lower()])
    assert same[0].is_repeat
    assert old.number in same[0].reason and "重复" in same[0].reason


def test_registration_signal_records_the_final_choice(district):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    case = make_case(title="噪声", content=LETTER, unit=district.units[0], registered_by=registrar)
    suggestions = {"categories": [{"label": "环境保护", "category_id": case.category_id}]}
    case_registered.send(sender=type(case), case=case, actor=registrar, suggestions=suggestions)
    choice = RecordedChoice.objects.get(case=case)
    assert choice.category == case.category and choice.unit == district.units[0]
    assert choice.accepted_suggestion is True
    assert services.find_similar(LETTER)[0].case == case  # indexed for duplicate search


def test_category_suggestions_map_labels_onto_the_bureau_tree(model_dir):
    cat_a, _ = _cats()
    CategoryMapping.objects.create(label="劳动和社会保障", category=cat_a)
    sugg = services.suggest_categories("老板拖欠农民工工资半年不给，请帮忙讨薪")
    assert len(sugg) == 3
    assert sugg[0].label == "劳动和社会保障" and sugg[0].category == cat_a
    assert sugg[1].category is None


@pytest.mark.slow
def test_retraining_from_recorded_choices_changes_suggestions(district, model_dir):
    registrar = make_user(Role.REGISTRAR, district.bureau)
    cat_a, cat_b = _cats()
    probe = "隔壁工地晚上施工噪音太大"
    before = services.suggest_categories(probe)[0]
    assert before.category is None  # the demo model speaks the board's labels
    with pytest.raises(TriageError):
        training.retrain_from_choices(registrar)
    for i, t in enumerate(NOISE * 2 + WAGES * 2):
        case = make_case(title=f"来信{i}", content=t, category=cat_a if i < 12 else cat_b)
        services.record_choice(case, actor=registrar)
    mv = training.retrain_from_choices(registrar)
    assert mv.version == 1 and ModelVersion.objects.get().is_active
    assert set(mv.labels) == {cat_a.code, cat_b.code}
    holdout = mv.evaluation["holdout"]  # 20 % of each category's 12 choices held out and scored
    assert holdout["n_test"] == 4 and 0.0 <= holdout["accuracy"] <= 1.0
    after = services.suggest_categories(probe)[0]
    assert after.category == cat_a
    assert services.suggest_categories("老板拖欠工资")[0].category == cat_b


def test_index_command_backfills_unindexed_cases(district):
    from django.core.management import call_command

    case = make_case(title="夜间施工噪声", content=LETTER)
    assert services.find_similar(LETTER) == []
    call_command("triage_index")
    assert [s.case for s in services.find_similar(LETTER)] == [case]


def test_the_panel_and_the_earlier_case_box_give_the_same_case_and_figure(district):
    """One repeat detector (issue 11 item 1): the triage panel's repeat mark is the registration page's
    earlier-case result, with the same similarity figure."""
    from xinfang.cases.registration import PetitionerInput
    from xinfang.cases.repeats import find_earlier_cases

    registrar = make_user(Role.REGISTRAR, district.bureau)
    person = make_petitioner("王五")
    old = make_case(title="噪声", content=LETTER, petitioner=person)
    services.index_case(old)
    edited = LETTER.replace("一个月", "两个月")
    (mark,) = [f for f in services.similar_cases(registrar, edited, phones=[person.phone]) if f.is_repeat]
    (box,) = find_earlier_cases([PetitionerInput(name="王五", phone=person.phone)], edited, viewer=registrar)
    assert mark.case == box.case == old
    assert f"内容相似度 {box.similarity:.0%}" in mark.reason and "联系电话相同" in mark.reason

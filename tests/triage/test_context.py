"""Triage where it matters: ambiguous words read in context, accusations of officials to the 纪委监委."""

from __future__ import annotations

import pytest

from tests.factories import make_org
from xinfang.orgs.models import OrgKind
from xinfang.triage import services, store
from xinfang.triage.context import read_in_context
from xinfang.triage.models import RoutingRule


def _by_label(text: str) -> dict:
    model = store.load(store.SHIPPED_MODEL)
    return {s.label: s for s in read_in_context(text, model.suggest(text, 3))}


def test_renting_out_village_land_is_not_a_transport_matter():
    raw = {s.label: s for s in store.load(store.SHIPPED_MODEL).suggest("村干部私自出租集体土地", 3)}
    assert "出租" in raw["交通运输"].words  # what the model alone reads
    read = _by_label("村干部私自出租集体土地")
    top = max(read.values(), key=lambda s: s.probability)
    assert top.label == "城乡建设"
    assert read["交通运输"].probability < raw["交通运输"].probability / 2
    assert "出租" not in read["交通运输"].words
    assert abs(sum(s.probability for s in read.values()) - 1) < 1e-9


def test_a_taxi_complaint_keeps_its_context_word():
    read = _by_label("出租车司机拒载绕路，多收车费")
    top = max(read.values(), key=lambda s: s.probability)
    assert top.label == "交通运输" and "出租车" in top.words and top.probability > 0.9


@pytest.mark.django_db
def test_an_accusation_against_an_official_is_suggested_to_the_discipline_body_first(district):
    discipline = make_org("区纪委监委", OrgKind.DEPARTMENT, district.root)
    accused = district.units[0]
    RoutingRule.objects.create(unit=district.units[1], basis="兜底", priority=900)
    units = services.suggest_units(
        categories=[], place=None, nature="accusation", accused=accused, text="举报区第1局科长违规收受礼金"
    )
    assert units[0].unit == discipline and "纪检监察机关" in units[0].reasons[0]
    plain = services.suggest_units(
        categories=[], place=None, nature="appeal", text="举报区第1局科长违规收受礼金"
    )
    assert discipline not in [u.unit for u in plain]
    # An accusation without an official named goes by the routing table as before.
    other = services.suggest_units(categories=[], place=None, nature="accusation", text="某公司偷排污水")
    assert discipline not in [u.unit for u in other]

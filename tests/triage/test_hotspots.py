"""Hot spots: the board's well-known clusters come out on top; the daily job stores and flags them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_case, make_petitioner
from xinfang.triage import hotspot_service
from xinfang.triage.hotspots import Message, dedupe, find_hotspots
from xinfang.triage.models import HotSpot

from .conftest import NOISE, WAGES


@pytest.fixture(scope="module")
def board_spots():
    from .conftest import DATA_DIR

    path = DATA_DIR / "hotspot_messages.csv"
    if not path.exists():
        pytest.fail(f"缺少留言数据：应位于 {path}（仓库根目录的 ../shared/data/messages/，CI 中提供）")
    return find_hotspots(hotspot_service.board_messages(path), top=10)


def _text(spot) -> str:
    return "".join(spot.keywords + spot.places + [m.title for m in spot.members])


def test_parking_sale_and_noise_clusters_are_the_top_hot_spots(board_spots):
    top3 = board_spots[:3]
    assert any("车位" in _text(s) and "捆绑" in _text(s) for s in top3)
    assert any("噪" in _text(s) for s in top3)
    assert board_spots[0].size >= 20
    assert all(a.score >= b.score for a, b in zip(board_spots, board_spots[1:]))


def test_hot_spots_list_cases_keywords_places_and_warn(board_spots):
    first = board_spots[0]
    # Each listed message really belongs to the spot: it contains one of the spot's key words.
    assert all(any(k in m.title + m.body for k in first.keywords) for m in first.members)
    assert first.keywords and first.places
    assert first.is_warning and "人反映" in first.warning_reason
    for s in board_spots:  # the thresholds: 10 people, or doubling with at least 6
        assert s.is_warning == (s.size >= 10 or (s.growth >= 2 and s.size >= 6))


def test_one_author_posting_many_times_counts_once():
    now = timezone.now()
    spam = [Message(str(i), "小区噪声扰民", NOISE[0], now - timedelta(hours=i), "same", 0) for i in range(20)]
    assert len(dedupe(spam)) == 1
    assert find_hotspots(spam, min_size=2) == []


def test_daily_job_stores_hot_spots_from_recent_cases(district):
    now = timezone.now()
    extras = ["影响休息", "孩子无法学习", "老人睡不着", "多次投诉无果", "请求查处", "希望停止施工"]
    for i in range(12):
        make_case(
            title="幸福小区旁工地夜间施工噪声扰民",
            content=f"我是幸福小区{i + 1}栋居民，小区旁工地每天夜间施工，噪声扰民，{extras[i % 6]}。",
            petitioner=make_petitioner(),
            received=now.date(),
        )
    for t in WAGES[:2]:
        make_case(title="拖欠工资", content=t, received=now.date() - timedelta(days=90))
    spots = hotspot_service.compute_case_hotspots(days=30, now=now + timedelta(hours=12))
    assert spots, "twelve similar noise letters from twelve petitioners make a hot spot"
    top = HotSpot.objects.order_by("-score").first()
    assert top.size >= 6 and top.cases.count() >= 6
    assert any("噪" in k for k in top.keywords)
    assert all("噪声" in c.title for c in top.cases.all())
    assert top.is_warning == (top.size >= 10)


def test_hot_spot_page_lists_only_visible_cases(client, district):
    from django.urls import reverse

    from tests.factories import PASSWORD, make_user
    from xinfang.orgs.roles import Role

    leader = make_user(Role.LEADER, district.bureau)
    handler = make_user(Role.HANDLER, district.units[0])
    now = timezone.now()
    hidden = make_case(title="保密噪声件", content="工地噪声", is_confidential=True)
    shown = make_case(title="公开噪声件", content="工地噪声")
    spot = HotSpot.objects.create(
        computed_at=now,
        window_start=now.date(),
        window_end=now.date(),
        title="幸福小区：噪声",
        keywords=["噪声"],
        places=["幸福小区"],
        size=2,
        growth=1.0,
        score=2.0,
    )
    spot.cases.set([hidden, shown])
    assert client.login(username=leader.username, password=PASSWORD)
    html = client.get(reverse("triage:hotspots")).content.decode()
    assert "幸福小区：噪声" in html and shown.number in html and hidden.number not in html
    client.logout()
    assert client.login(username=handler.username, password=PASSWORD)
    assert client.get(reverse("triage:hotspots")).status_code == 403

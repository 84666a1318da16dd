"""Every window the workflow keeps, as data: the statutory deadline rules, one set of rows per profile
(design.md §3, domain/petition.md §2.2–2.4), and the windows this system sets (satisfaction evaluation,
letter and recommendation feedback) and the representatives cap (art.20 ¶3), read from settings.

A rule says: step, N, unit (``day`` = calendar days with roll-forward of a rest-day result, ``workday`` =
working days on the Chinese calendar), the event it counts from (not counted itself) and the article.
The national profile is the default; a provincial profile lists only the rows it changes and inherits the
rest. The active profile is ``settings.XINFANG["DEADLINE_PROFILE"]``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings

from xinfang.calendar.services import Due, add_days, add_working_days

DAY = "day"
WORKDAY = "workday"


@dataclass(frozen=True)
class Rule:
    step: str
    n: int
    unit: str
    counted_from: str
    article: str
    label: str


@dataclass(frozen=True)
class Profile:
    code: str
    name: str
    rules: dict[str, Rule]
    # Art.203 by analogy: a day-counted deadline on a rest day moves to the next working day.
    roll_forward: bool = True
    # Shanghai art.38 / Shandong art.41: the handling opinion must state the review route and deadline.
    reply_requires_review_route: bool = False
    max_extensions: int = 1
    notes: tuple[str, ...] = field(default_factory=tuple)

    def rule(self, step: str) -> Rule:
        return self.rules[step]


def _rows(*rules: Rule) -> dict[str, Rule]:
    return {r.step: r for r in rules}


NATIONAL_RULES = _rows(
    Rule("triage", 15, DAY, "收到信访事项", "《信访工作条例》第二十二条", "分流（转送/交办/告知）"),
    Rule("acceptance", 15, DAY, "收到转送、交办事项", "《信访工作条例》第二十三条第三款", "书面告知受理"),
    Rule("objection", 5, WORKDAY, "收到转送、交办事项", "《信访工作条例》第二十三条第三款", "提出异议"),
    Rule("handling", 60, DAY, "受理", "《信访工作条例》第三十四条", "办结并出具处理意见书"),
    # N of the extension row is the cap on one extension, not a deadline of its own.
    Rule("extension", 30, DAY, "原办结期限", "《信访工作条例》第三十四条", "延长办理期限"),
    Rule("review_request", 30, DAY, "收到书面答复", "《信访工作条例》第三十五条", "申请复查"),
    Rule("review", 30, DAY, "收到复查请求", "《信访工作条例》第三十五条", "出具复查意见"),
    Rule("rereview_request", 30, DAY, "收到复查意见", "《信访工作条例》第三十六条", "申请复核"),
    Rule("rereview", 30, DAY, "收到复核请求（听证时间不计）", "《信访工作条例》第三十六条", "出具复核意见"),
    Rule("evaluation", 30, DAY, "送达处理意见书", "本系统设定（可配置）", "满意度评价"),
)

PROFILES: dict[str, Profile] = {
    "national": Profile("national", "全国（《信访工作条例》2022）", NATIONAL_RULES),
    "zhejiang": Profile(
        "zhejiang",
        "浙江（《浙江省信访条例》2016）",
        {
            **NATIONAL_RULES,
            **_rows(
                Rule("triage", 5, WORKDAY, "登记录入", "《浙江省信访条例》第二十条", "答复或分流"),
                Rule("acceptance", 5, WORKDAY, "收到转送事项", "《浙江省信访条例》第二十条", "决定是否受理"),
                Rule("handling", 30, DAY, "受理", "《浙江省信访条例》第二十三条", "办结"),
                Rule("extension", 60, DAY, "原办结期限", "《浙江省信访条例》第二十三条", "延长办理期限"),
            ),
        },
    ),
    "shanghai": Profile(
        "shanghai",
        "上海（《上海市信访条例》2018）",
        NATIONAL_RULES,
        reply_requires_review_route=True,
        notes=("处理意见书须载明复查途径和期限（第三十八条）",),
    ),
    "shandong": Profile(
        "shandong",
        "山东（《山东省信访条例》2015）",
        {
            **NATIONAL_RULES,
            **_rows(
                Rule(
                    "review_acceptance",
                    3,
                    WORKDAY,
                    "收到复查、复核请求",
                    "《山东省信访条例》第四十三条",
                    "决定是否受理复查复核",
                ),
            ),
        },
        reply_requires_review_route=True,
        notes=("处理意见书须载明复查途径和期限（第四十一条）",),
    ),
}


def active_profile() -> Profile:
    code = settings.XINFANG.get("DEADLINE_PROFILE", "national")
    return PROFILES.get(code, PROFILES["national"])


def rule(step: str, profile: Profile | None = None) -> Rule:
    return (profile or active_profile()).rule(step)


def due(step: str, start: datetime.date, profile: Profile | None = None, *, extra_days: int = 0) -> Due:
    """The deadline of `step` counted from `start` (not counted), plus `extra_days` of the same unit."""
    profile = profile or active_profile()
    r = profile.rule(step)
    if r.unit == WORKDAY:
        return add_working_days(start, r.n + extra_days)
    return add_days(start, r.n + extra_days, roll_forward=profile.roll_forward)


def handling_cap(accepted: datetime.date, profile: Profile | None = None) -> Due:
    """The latest a handling deadline may ever be: acceptance + N + the extension cap (A+90 nationally)."""
    profile = profile or active_profile()
    return due("handling", accepted, profile, extra_days=profile.rule("extension").n)


# ---------------------------------------------------------------- windows set by settings ([R]: not statute)


def _setting(name: str, default: int) -> int:
    return int(settings.XINFANG.get(name, default))


def evaluation_window_days() -> int:
    """[R] Days the petitioner has to evaluate a served reply (EVALUATION_WINDOW_DAYS, default 30)."""
    return _setting("EVALUATION_WINDOW_DAYS", 30)


def evaluation_window_end(served_on: datetime.date) -> datetime.date:
    """The last day of the evaluation window (calendar days; the last day is still open)."""
    return served_on + timedelta(days=evaluation_window_days())


def recommendation_feedback_due(issued_on: datetime.date) -> datetime.date:
    """Written feedback on an art.40 recommendation (2005 条例 art.36 / Shanghai / Shandong: 30 days)."""
    return issued_on + timedelta(days=_setting("RECOMMENDATION_FEEDBACK_DAYS", 30))


def representatives_cap() -> int:
    """Art.20 ¶3: a visit of many people elects at most 5 representatives (profiles may lower it)."""
    return _setting("MAX_REPRESENTATIVES", 5)


def non_appeal_handling_due(accepted: datetime.date, profile: Profile | None = None) -> Due:
    """[R] Suggestions (art.29) and accusations (art.30) carry no statutory 60-day clock (art.34 is for
    31(6)); the bureau still tracks them, by default as long as an appeal (NON_APPEAL_HANDLING_DAYS, 60)."""
    profile = profile or active_profile()
    days = _setting("NON_APPEAL_HANDLING_DAYS", profile.rule("handling").n)
    return add_days(accepted, days, roll_forward=profile.roll_forward)


def assignment_cap(assigned_on: datetime.date, profile: Profile | None = None) -> Due:
    """The latest result deadline a 交办 may set: the acceptance window, then handling plus the one extension
    (art.23 + art.34: 15 + 60 + 30 days nationally)."""
    profile = profile or active_profile()
    received_by = due("acceptance", assigned_on, profile).date
    return handling_cap(received_by, profile)

"""Incremental daily rollups so dashboards cost O(groups), not O(cases) (design.md §5)."""

from __future__ import annotations

from django.db import models

from xinfang.cases.models import Category
from xinfang.orgs.models import Organisation


class DailyCaseRollup(models.Model):
    """Counts per local day × unit × category × channel.

    `registered` is attributed to the registering organisation on the registration day; `replied` and
    `replied_on_time` to the responsible unit on the reply day (on time = reply date <= handling deadline).
    """

    day = models.DateField("日期")
    unit = models.ForeignKey(Organisation, verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        Category, verbose_name="内容分类", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField("信访形式", max_length=16)
    registered = models.PositiveIntegerField("登记件数", default=0)
    replied = models.PositiveIntegerField("答复件数", default=0)
    replied_on_time = models.PositiveIntegerField("按期答复件数", default=0)

    class Meta:
        verbose_name = "每日统计汇总"
        verbose_name_plural = "每日统计汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit", "category", "channel"], name="rollup_day_unit_cat_channel"
            )
        ]
        indexes = [models.Index(fields=["unit", "day"], name="rollup_unit_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.unit} {self.channel}"


class CohortKind(models.TextChoices):
    REGISTERED = "registered", "登记（按登记日期）"
    TRIAGE = "triage", "分流（按分流期限）"
    HANDLING = "handling", "办理（按办结期限）"
    REPLIED = "replied", "答复（按答复日期）"
    EVALUATED = "evaluated", "评价（按评价日期）"
    EVAL_WINDOW = "eval_window", "评价期（按评价截止日期）"


class RollupCounters(models.Model):
    """The counters both rollup tables keep, in one place."""

    total = models.IntegerField("件数", default=0)
    in_time = models.IntegerField("按期完成", default=0)
    late = models.IntegerField("超期完成", default=0)
    open = models.IntegerField("未完成", default=0)
    excluded_a = models.IntegerField("不计入（一）", default=0)
    excluded_b = models.IntegerField("不计入（二）", default=0)
    repeats = models.IntegerField("重件", default=0)
    collective = models.IntegerField("集体访批次", default=0)
    collective_people = models.IntegerField("集体访人次", default=0)
    level_skipping = models.IntegerField("越级", default=0)
    to_beijing = models.IntegerField("进京", default=0)
    suggestion = models.IntegerField("人民建议", default=0)
    adopted = models.IntegerField("采纳", default=0)
    partly_adopted = models.IntegerField("部分采纳", default=0)
    not_adopted = models.IntegerField("不采纳", default=0)
    satisfied = models.IntegerField("满意", default=0)
    basically = models.IntegerField("基本满意", default=0)
    unsatisfied = models.IntegerField("不满意", default=0)
    handling_seconds = models.BigIntegerField("办理用时（秒）", default=0)

    class Meta:
        abstract = True


COHORT_COUNTERS = tuple(f.name for f in RollupCounters._meta.fields)


class CohortRollup(RollupCounters):
    """Counters per cohort kind × day × unit × category × channel × nature × place (domain/petition.md §4.2).

    The day is the one that puts a case into a period for that kind: the triage deadline, the handling deadline,
    the evaluation window's end, or the registration / reply / evaluation day. `open` cases are split into
    not-yet-due and overdue when read (day >= today or not), so the rows do not age. `unit` is the responsible
    unit (the registering organisation before routing); `place` the 问题属地 id, 0 when none.
    excluded_a/excluded_b: the cases leaving the cohort (triage: direct, merged; handling: withdrawn, diverted).
    """

    kind = models.CharField("口径", max_length=16, choices=CohortKind.choices)
    day = models.DateField("日期")
    unit = models.ForeignKey(Organisation, verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        Category, verbose_name="内容分类", on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField("信访形式", max_length=16)
    nature = models.CharField("信访目的", max_length=16)
    place = models.PositiveIntegerField("问题属地", default=0)

    class Meta:
        verbose_name = "统计口径汇总"
        verbose_name_plural = "统计口径汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "day", "unit", "category", "channel", "nature", "place"],
                name="cohort_rollup_key",
            )
        ]
        indexes = [models.Index(fields=["kind", "day"], name="cohort_kind_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day} {self.unit_id}"


class UnitRollup(RollupCounters):
    """The cohort rollups rolled up the organisation tree and the calendar, so a dashboard reads hundreds of rows.

    Derived from CohortRollup (cohorts.expand): every fine row counts at its unit (`own`) and at each of the
    unit's ancestors (not `own`), by day (grain "d") and by month (grain "m", day = the 1st). A scope is then the
    rows of one unit — its whole subtree — and a period its full months plus its edge days. `dim`/`value` are
    empty for the cohort counters; registrations are also counted by one dimension each ("channel", "nature",
    "place", "category": the top-level category), at the unit and its ancestors, `total` only.
    """

    kind = models.CharField("口径", max_length=16, choices=CohortKind.choices)
    grain = models.CharField("粒度", max_length=1)  # "d" day, "m" month
    day = models.DateField("日期")
    unit = models.ForeignKey(Organisation, verbose_name="单位", on_delete=models.CASCADE, related_name="+")
    own = models.BooleanField("本单位", default=False)
    dim = models.CharField("分组", max_length=16, blank=True, default="")
    value = models.CharField("分组取值", max_length=32, blank=True, default="")

    class Meta:
        verbose_name = "按单位层级汇总"
        verbose_name_plural = "按单位层级汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "grain", "day", "unit", "own", "dim", "value"], name="unit_rollup_key"
            )
        ]
        indexes = [models.Index(fields=["unit", "kind", "grain", "day"], name="unit_rollup_read")]

    def __str__(self) -> str:
        return f"{self.kind} {self.grain} {self.day} {self.unit_id}"


class CaseRollupState(models.Model):
    """What one case currently adds to CohortRollup, so a change subtracts the old share and adds the new."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="+", primary_key=True, verbose_name="信访事项"
    )
    shares = models.JSONField("计入项", default=list)

    class Meta:
        verbose_name = "信访件统计计入项"
        verbose_name_plural = "信访件统计计入项"

    def __str__(self) -> str:
        return str(self.case_id)

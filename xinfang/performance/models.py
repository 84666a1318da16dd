"""Budget performance data (domain/performance.md §2). Money in 元 (Decimal, 2 places); shown in 万元."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

MONEY = {"max_digits": 16, "decimal_places": 2}
ZERO = Decimal(0)


class FundSource(models.TextChoices):
    GENERAL = "general", "一般公共预算财政拨款"
    GOV_FUND = "gov_fund", "政府性基金预算财政拨款"
    STATE_CAPITAL = "state_capital", "国有资本经营预算"
    SPECIAL_ACCOUNT = "special_account", "财政专户管理资金"
    UNIT = "unit", "单位资金/其他资金"
    CARRY_OVER = "carry_over", "上年结转"


class Nature(models.TextChoices):
    PERSONNEL = "personnel", "基本支出-人员经费"
    PUBLIC = "public", "基本支出-公用经费"
    PROJECT = "project", "项目支出"


class ProjectCategory(models.TextChoices):
    BUSINESS = "business", "业务工作经费"
    OPERATION = "operation", "运行维护经费"
    SPECIAL = "special", "专项资金"
    OTHER = "other", "其他事业发展资金"


class FiscalYear(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="预算单位", null=True, blank=True, on_delete=models.PROTECT
    )
    authorised_headcount = models.PositiveIntegerField("编制数", default=0)
    actual_headcount = models.PositiveIntegerField("实际在职人数", default=0)
    retirees = models.PositiveIntegerField("退休人员", default=0)
    procurement_planned = models.DecimalField("政府采购预算", default=ZERO, **MONEY)
    procurement_actual = models.DecimalField("政府采购实际", default=ZERO, **MONEY)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "预算年度"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度"


class Project(models.Model):
    year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="projects")
    code = models.CharField("项目编码", max_length=40)
    name = models.CharField("项目名称", max_length=200)
    category = models.CharField(
        "项目类别", max_length=16, choices=ProjectCategory.choices, default="business"
    )
    is_key_project = models.BooleanField("重点项目", default=False)
    implementing_unit = models.CharField("实施单位", max_length=100, blank=True)
    annual_goal = models.TextField("年度总体目标", blank=True)
    goal_outcome = models.TextField("实际完成情况", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目"
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="perf_project_code_per_year")]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="lines")
    code = models.CharField("预算指标编码", max_length=40)
    name = models.CharField("名称", max_length=200)
    fund_source = models.CharField("资金来源", max_length=20, choices=FundSource.choices)
    nature = models.CharField("支出性质", max_length=12, choices=Nature.choices)
    functional_class = models.CharField("功能分类", max_length=60, blank=True)
    economic_class = models.CharField("经济分类", max_length=60, blank=True)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    initial_amount = models.DecimalField("年初预算数（元）", **MONEY)
    carry_in = models.DecimalField("上年结转（元）", default=ZERO, **MONEY)

    class Meta:
        verbose_name = verbose_name_plural = "预算指标"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="perf_line_code_per_year")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BudgetAdjustment(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="adjustments")
    date = models.DateField("调整日期")
    amount = models.DecimalField("金额（元，调减为负）", **MONEY)
    reason = models.CharField("调整原因", max_length=200)
    document = models.CharField("批复文号", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "预算调整"
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "date", "amount", "document"], name="perf_adjustment_natural_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.line.code} {self.date} {self.amount}"


class ExecutionEntry(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="executions")
    date = models.DateField("支付日期")
    amount = models.DecimalField("金额（元）", **MONEY)
    voucher_ref = models.CharField("支付凭证号", max_length=60)
    detail_no = models.PositiveIntegerField("凭证明细序号", default=1)
    kind = models.CharField("支付方式", max_length=20, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "执行记录"
        ordering = ["date", "pk"]
        # One voucher may pay several details of the same line (two rows of 30,000 and 20,000): each is kept.
        constraints = [
            models.UniqueConstraint(
                fields=["line", "voucher_ref", "detail_no"], name="perf_execution_voucher_detail"
            )
        ]

    def __str__(self) -> str:
        return f"{self.voucher_ref} {self.amount}"


class IncomeRecord(models.Model):
    year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="incomes")
    fund_source = models.CharField("收入来源", max_length=20, choices=FundSource.choices)
    amount = models.DecimalField("本年收入（元）", **MONEY)
    prior_year_final = models.DecimalField("上年决算数（元）", default=ZERO, **MONEY)

    class Meta:
        verbose_name = verbose_name_plural = "收入"
        constraints = [models.UniqueConstraint(fields=["year", "fund_source"], name="perf_income_per_source")]

    def __str__(self) -> str:
        return f"{self.get_fund_source_display()} {self.amount}"


class ThreePublicExpense(models.Model):
    class Item(models.TextChoices):
        ABROAD = "abroad", "因公出国（境）费"
        CAR_PURCHASE = "car_purchase", "公务用车购置费"
        CAR_RUNNING = "car_running", "公务用车运行维护费"
        RECEPTION = "reception", "公务接待费"

    year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="three_public")
    item = models.CharField("项目", max_length=16, choices=Item.choices)
    budget = models.DecimalField("本年预算数（元）", default=ZERO, **MONEY)
    final = models.DecimalField("本年决算数（元）", default=ZERO, **MONEY)
    prior_final = models.DecimalField("上年决算数（元）", default=ZERO, **MONEY)

    class Meta:
        verbose_name = verbose_name_plural = "三公经费"
        constraints = [models.UniqueConstraint(fields=["year", "item"], name="perf_three_public_item")]

    def __str__(self) -> str:
        return self.get_item_display()


class Evaluation(models.Model):
    """A self-evaluation (and its indicator targets) for the department or one project in a year."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", "部门整体"
        PROJECT = "project", "项目"

    year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.DEPARTMENT)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE)
    framework = models.CharField("评分框架", max_length=40, blank=True)
    execution_weight = models.DecimalField("执行率分值", max_digits=5, decimal_places=2, default=Decimal(10))
    claimed_execution_score = models.DecimalField(
        "自评执行率得分", max_digits=5, decimal_places=2, null=True, blank=True
    )
    execution_explanation = models.TextField("执行率偏低说明", blank=True)
    narrative = models.JSONField(
        "报告文字（基本情况、自评结论、存在问题、改进措施等）", default=dict, blank=True
    )
    extra = models.JSONField("交换格式扩展字段", default=dict, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "绩效自评"
        constraints = [
            models.UniqueConstraint(fields=["year", "project"], name="perf_one_evaluation_per_project"),
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(project__isnull=True),
                name="perf_one_department_evaluation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year.year}年度{self.project.name if self.project else '部门整体'}支出绩效自评"


class Indicator(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveIntegerField("序号", default=0)
    level1 = models.CharField("一级指标", max_length=40)
    level2 = models.CharField("二级指标", max_length=40)
    level3 = models.CharField("三级指标", max_length=100, blank=True)
    operator = models.CharField("运算符", max_length=12, default=">=")
    target = models.CharField("指标值", max_length=100, blank=True)
    initial_target = models.CharField("年初指标值", max_length=100, blank=True)
    unit = models.CharField("度量单位", max_length=12, blank=True)
    weight = models.DecimalField("分值", max_digits=5, decimal_places=2, null=True, blank=True)
    definition = models.TextField("指标解释", blank=True)
    scoring_note = models.TextField("评分标准", blank=True)
    data_source = models.CharField("数据来源", max_length=100, blank=True)
    binding = models.CharField("绑定统计指标", max_length=40, blank=True)
    actual = models.CharField("实际完成值", max_length=100, blank=True)
    actual_unit = models.CharField("实际值单位（与指标值不同时填写）", max_length=12, blank=True)
    deduction = models.DecimalField("超额完成扣分", max_digits=5, decimal_places=2, null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    grade = models.CharField("定性评价等级", max_length=8, blank=True)
    claimed_score = models.DecimalField("自评得分", max_digits=5, decimal_places=2, null=True, blank=True)
    deviation_reason = models.TextField("偏差原因分析及改进措施", blank=True)
    mid_year_progress = models.CharField("年中完成值", max_length=100, blank=True)
    corrective_action = models.TextField("纠偏措施", blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "绩效指标"
        ordering = ["evaluation", "order", "pk"]

    def __str__(self) -> str:
        return self.level3 or f"{self.level1}/{self.level2}"


class ImportBatch(models.Model):
    """One accepted .xlsx import (a rejected file leaves no row); its digest makes a re-import a no-op."""

    kind = models.CharField("导入类型", max_length=20)
    year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="imports")
    digest = models.CharField("文件摘要", max_length=64)
    filename = models.CharField("文件名", max_length=200, blank=True)
    rows = models.PositiveIntegerField("行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = verbose_name_plural = "导入记录"
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"


class ReportJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="report_jobs")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    message = models.CharField("说明", max_length=200, blank=True)
    docx = models.BinaryField("报告（.docx）", null=True, blank=True)
    xlsx = models.BinaryField("附表（.xlsx）", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = verbose_name_plural = "报告生成任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.get_status_display()}"

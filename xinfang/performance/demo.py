"""Demo data for the performance module: one budget year a new user can click through.

``seed_performance_demo(bureau_org, finance_user, year)`` is called by the demo seeder. It creates the year's
budget lines, adjustments, payments, income, 三公经费, staffing and procurement, the department-wide
self-evaluation with indicators, results and report texts, and one project self-evaluation. Calling it again
for a year that already has budget lines changes nothing. Payments stop at the controlled clock's month when
the demo year is the current one, so monitoring shows a year in progress.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from xinfang.core import clock

from .editing import create_evaluation
from .models import (
    BudgetAdjustment,
    BudgetLine,
    Evaluation,
    ExecutionEntry,
    FiscalYear,
    IncomeRecord,
    Indicator,
    Project,
    ThreePublicExpense,
)
from .services import save_narrative

W = Decimal(10000)
# (code, name, fund source, nature, 功能分类, project code, 年初 万元, 上年结转 万元, share of it spent by December)
LINES = [
    ("A01", "在职人员工资福利", "general", "personnel", "一般公共服务支出", "", "520", "0", "1.00"),
    ("A02", "办公费", "general", "public", "一般公共服务支出", "", "40", "0", "0.92"),
    ("A03", "差旅费、会议费、培训费", "general", "public", "一般公共服务支出", "", "20", "0", "0.85"),
    ("P01", "信访工作经费", "general", "project", "一般公共服务支出", "P001", "180", "4.12", "0.97"),
    ("P02", "信访信息系统运行维护", "general", "project", "一般公共服务支出", "P002", "60", "0", "0.90"),
]
PROJECTS = [("P001", "信访工作经费", "business", True), ("P002", "信访信息系统运行维护", "operation", False)]
# (line, month, day, 万元, reason, 文号)
ADJUSTMENTS = [("P01", 3, 15, "20", "追加区领导接访下访工作经费", "区财预〔{y}〕12号"),
               ("A02", 8, 20, "-5", "压减一般性支出", "区财预〔{y}〕48号")]  # fmt: skip
INCOMES = [("general", "801.12", "843.50"), ("gov_fund", "3.00", "0"), ("unit", "0.30", "2.53")]
THREE_PUBLIC = [("car_running", "3.00", "2.60", "2.90"), ("reception", "1.20", "0.80", "1.00")]
DEPT_INDICATORS = [
    # (一级, 二级, 三级, operator, target, unit, weight, actual, grade, claimed, reason, 评分标准)
    ("产出指标", "数量指标", "区领导重点约访", ">=", "20", "名", "15", "25", "", "15", "", "每少1名扣0.75分"),
    ("产出指标", "数量指标", "报送信访工作动态、信息及调研文章", ">=", "20", "篇", "10", "18", "", "9",
     "下半年专题调研推迟至次年一季度", "按完成比例计分"),
    ("产出指标", "质量指标", "信访事项按期办结率", ">=", "98", "%", "15", "98.6", "", "15", "", "按完成比例计分"),
    ("产出指标", "时效指标", "信访事项及时受理率", ">=", "98", "%", "15", "99.2", "", "15", "", "按完成比例计分"),
    ("效益指标", "社会效益指标", "信访秩序总体平稳", "qualitative", "全区信访形势总体平稳", "", "15",
     "全年未发生重大群体性事件", "达成", "14", "个别镇街信访积案化解进度偏慢，已列入督办", "达成12-15分，部分达成9-12分"),
    ("效益指标", "可持续影响指标", "“最多访一次”按期办结率", "=", "100", "%", "10", "100", "", "10", "",
     "达到100%得满分"),
    ("满意度指标", "服务对象满意度指标", "群众满意率", ">=", "90", "%", "10", "96.5", "", "10", "", "按完成比例计分"),
]  # fmt: skip
PROJECT_INDICATORS = [
    ("产出指标", "数量指标", "区领导重点约访", ">=", "20", "名", "25", "25", "", "25", "", ""),
    ("产出指标", "质量指标", "信访事项按期办结率", ">=", "98", "%", "25", "98.6", "", "25", "", ""),
    ("效益指标", "社会效益指标", "信访秩序总体平稳", "qualitative", "全区信访形势总体平稳", "", "30",
     "全年未发生重大群体性事件", "达成", "28", "个别镇街信访积案化解进度偏慢，已列入督办", ""),
    ("满意度指标", "服务对象满意度指标", "群众满意率", ">=", "90", "%", "10", "96.5", "", "10", "", ""),
]  # fmt: skip
NARRATIVE = {
    "functions": "贯彻执行党和国家有关信访工作的方针、政策和法律法规；处理群众来信、来访和网上信访；"
    "承办上级交办的信访事项，向区直部门和镇（街）转送、交办、督办信访事项；指导、督促全区信访工作。",
    "organisation": "内设办公室、来访接待科、督查督办科三个科室，下设区群众信访诉求综合服务中心一个二级机构。",
    "key_work": "1. 推行领导干部接访下访，区领导重点约访信访群众。\n2. 深化信访事项“最多访一次”改革。\n"
    "3. 开展信访业务培训，提升基层信访工作规范化水平。",
    "annual_goal": "信访事项按期办结率不低于98%，群众满意率不低于90%，区领导重点约访不少于20名，全区信访形势总体平稳。",
    "goal_outcome": "信访事项按期办结率98.6%，群众满意率96.5%，区领导重点约访25名，全年未发生重大群体性事件。",
    "effectiveness": "全年办理信访事项按期办结率98.6%，群众满意率96.5%，区领导接访下访和重点约访常态化开展，"
    "全区信访形势总体平稳。",
    "efficiency": "严格执行预算管理和内部控制制度，按月跟踪预算执行进度；资产登记和政府采购按规定办理；"
    "开展信访业务培训，干部队伍业务能力持续提升。",
    "problems": "一是预算执行进度前低后高，上半年执行偏慢；二是部分绩效指标设置偏保守，指标值与实际完成差距较大。",
    "measures": "一是按月通报预算执行进度，对偏离序时进度的项目督促整改；二是结合近三年完成情况科学设置指标值。",
    "results_use": "自评结果作为下年度预算安排和项目立项的重要参考，并按规定在部门门户网站公开。",
    "other": "无。",
    "phone": "020-12345678",
}


def _spent_until(year: int) -> int:
    today = clock.today()
    return 12 if today.year > year else (0 if today.year < year else max(today.month - 1, 1))


def _indicators(evaluation: Evaluation, rows) -> None:
    Indicator.objects.bulk_create(
        Indicator(evaluation=evaluation, order=n, level1=l1, level2=l2, level3=l3, operator=op, target=t, unit=u,
                  weight=Decimal(w), actual=a, grade=g, claimed_score=Decimal(c), deviation_reason=r, scoring_note=s)
        for n, (l1, l2, l3, op, t, u, w, a, g, c, r, s) in enumerate(rows, 1)
    )  # fmt: skip


@transaction.atomic
def seed_performance_demo(bureau_org, finance_user, year: int) -> Evaluation:
    """The demo year (idempotent): returns its department-wide self-evaluation."""
    fy, _ = FiscalYear.objects.get_or_create(year=year, defaults={"organisation": bureau_org})
    if fy.lines.exists():
        return fy.evaluations.filter(project__isnull=True).first() or create_evaluation(
            fy, actor=finance_user
        )
    FiscalYear.objects.filter(pk=fy.pk).update(organisation=bureau_org, authorised_headcount=12, actual_headcount=11,
                                               retirees=3, procurement_planned=40 * W,
                                               procurement_actual=Decimal("38.5") * W)  # fmt: skip
    fy.refresh_from_db()
    projects = {code: Project.objects.create(year=fy, code=code, name=name, category=cat, is_key_project=key)
                for code, name, cat, key in PROJECTS}  # fmt: skip
    months = _spent_until(year)
    for code, name, source, nature, func, project, initial, carry, spent in LINES:
        line = BudgetLine.objects.create(year=fy, code=code, name=name, fund_source=source, nature=nature,
                                         functional_class=func, project=projects.get(project),
                                         initial_amount=Decimal(initial) * W, carry_in=Decimal(carry) * W)  # fmt: skip
        monthly = (Decimal(initial) * W * Decimal(spent) / 12).quantize(Decimal("0.01"))
        ExecutionEntry.objects.bulk_create(
            ExecutionEntry(line=line, date=date(year, m, 25), amount=monthly, voucher_ref=f"{code}-{m:02d}",
                           kind="国库集中支付")
            for m in range(1, months + 1)
        )  # fmt: skip
    for code, month, day, amount, reason, doc in ADJUSTMENTS:
        BudgetAdjustment.objects.create(line=fy.lines.get(code=code), date=date(year, month, day),
                                        amount=Decimal(amount) * W, reason=reason, document=doc.format(y=year))  # fmt: skip
    for source, amount, prior in INCOMES:
        IncomeRecord.objects.create(year=fy, fund_source=source, amount=Decimal(amount) * W,
                                    prior_year_final=Decimal(prior) * W)  # fmt: skip
    for item, budget, final, prior in THREE_PUBLIC:
        ThreePublicExpense.objects.create(year=fy, item=item, budget=Decimal(budget) * W, final=Decimal(final) * W,
                                          prior_final=Decimal(prior) * W)  # fmt: skip
    department = create_evaluation(fy, actor=finance_user)
    _indicators(department, DEPT_INDICATORS)
    preparer = getattr(finance_user, "display_name", "") or finance_user.get_username()
    save_narrative(department, {**NARRATIVE, "preparer": preparer}, actor=finance_user)
    project = create_evaluation(fy, project=projects["P001"], actor=finance_user)
    _indicators(project, PROJECT_INDICATORS)
    save_narrative(project, {**NARRATIVE, "functions": "用于区领导接访下访、信访事项督办和信访业务培训。",
                             "preparer": preparer}, actor=finance_user)  # fmt: skip
    return department

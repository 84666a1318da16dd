"""Demo triage set-up: map the shipped model's labels onto the bureau's categories, write a routing
table (事权 × 属地 with a catch-all) and index the most recent cases for similarity search."""

from __future__ import annotations

from xinfang.cases.models import Case, Category
from xinfang.orgs.models import Organisation
from xinfang.triage.models import CategoryMapping, RoutingRule
from xinfang.triage.services import index_case

# Board label (shipped demo model) → the bureau category code the 采用 button fills in.
LABEL_TO_CATEGORY = {
    "城乡建设": "0101",
    "劳动和社会保障": "0203",
    "教育文体": "0603",
    "商贸旅游": "1403",
    "环境保护": "0801",
    "卫生计生": "0502",
    "交通运输": "1001",
}


def seed_triage_demo(orgs: dict, routing: dict[str, str | None], index_recent: int = 2000) -> int:
    """`routing` maps first-level category names to a department code (None = the town of the place)."""
    by_code = {c.code: c for c in Category.objects.all()}
    for label, code in LABEL_TO_CATEGORY.items():
        if code in by_code:
            CategoryMapping.objects.update_or_create(label=label, defaults={"category": by_code[code]})
    tops = {c.name: c for c in Category.objects.filter(parent__isnull=True)}
    rules = []
    for name, dept_code in routing.items():
        top = tops.get(name)
        if top is None:
            continue
        if dept_code:
            rules.append(RoutingRule(category=top, unit=orgs["depts"][dept_code], basis="部门职责（事权）"))
        else:
            rules.extend(
                RoutingRule(category=top, place=town, unit=town, basis="属地管理", priority=50)
                for town in orgs["towns"]
            )
    bureau: Organisation = orgs["bureau"]
    rules.append(RoutingRule(unit=bureau, basis="兜底：信访局研判后分办", priority=900))
    RoutingRule.objects.bulk_create(rules)
    recent = Case.objects.order_by("-registered_at").only("pk", "title", "content", "requests")[:index_recent]
    for case in recent:
        index_case(case)
    return len(rules)

"""The demo district's organisations and the people who work in them (all names invented).

Every unit a demo case can reach has staff, so that every step is taken by a user of the right body: the
advertised logins (README), plus a handler and a head for each department and town, sharing one password
hash (hashing a hundred passwords would take a minute).
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from xinfang.orgs.models import Organisation, OrgKind, User
from xinfang.orgs.roles import Role

DEMO_PASSWORD = "Xinfang@2026"

DEPARTMENTS = [
    ("HRSS", "区人力资源和社会保障局"),
    ("HOUSING", "区住房和城乡建设局"),
    ("EDU", "区教育局"),
    ("HEALTH", "区卫生健康局"),
    ("POLICE", "区公安分局"),
    ("MARKET", "区市场监督管理局"),
    ("ECO", "区生态环境分局"),
    ("TRANS", "区交通运输局"),
    ("CIVIL", "区民政局"),
    ("URBAN", "区城市管理和综合执法局"),
    ("PLAN", "区规划和自然资源分局"),
    ("AGRI", "区农业农村局"),
    ("WATER", "区水务局"),
    ("JUSTICE", "区司法局"),
    ("VETERAN", "区退役军人事务局"),
    ("MEDINS", "区医疗保障局"),
    ("EMERG", "区应急管理局"),
    ("FIN", "区财政局"),
    ("TAX", "区税务局"),
    ("SASAC", "区国有资产管理局"),
    ("CULTURE", "区文化广电旅游体育局"),
    ("TECH", "区科技工业和信息化局"),
    ("COMMERCE", "区商务局"),
    ("STATS", "区统计局"),
    ("GOVSVC", "区政务服务数据管理局"),
    ("DISCIPLINE", "区纪委监委"),
    ("ORG", "区委组织部"),
    ("POLLEGAL", "区委政法委"),
    ("DISABLED", "区残疾人联合会"),
    ("PROPERTY", "区物业管理服务中心"),
]
TOWNS = [
    "江城街道",
    "云岭街道",
    "松洲街道",
    "景泰街道",
    "同和街道",
    "京溪街道",
    "永平街道",
    "嘉禾街道",
    "新市街道",
    "三元里街道",
    "石门街道",
    "金沙街道",
    "均禾街道",
    "鹤龙街道",
    "人和镇",
    "太和镇",
    "钟落潭镇",
    "江高镇",
    "龙归街道",
    "大源街道",
]
VILLAGE_SUFFIXES = ["社区", "村", "花园社区"]


def build_orgs() -> dict:
    city = Organisation.objects.create(code="440100", name="示例市", kind=OrgKind.CITY, region_code="440100")
    city_bureau = Organisation.objects.create(
        code="440100-XFJ", name="示例市信访局", kind=OrgKind.BUREAU, parent=city
    )
    district = Organisation.objects.create(
        code="440111", name="示例区", kind=OrgKind.DISTRICT, parent=city, region_code="440111"
    )
    bureau = Organisation.objects.create(
        code="440111-XFJ", name="示例区信访局", kind=OrgKind.BUREAU, parent=district
    )
    depts = {
        code: Organisation.objects.create(
            code=f"440111-{code}", name=name, kind=OrgKind.DEPARTMENT, parent=district
        )
        for code, name in DEPARTMENTS
    }
    towns, villages, grids = [], [], []
    for i, name in enumerate(TOWNS, start=1):
        town = Organisation.objects.create(
            code=f"440111{i:03d}", name=name, kind=OrgKind.TOWN, parent=district, region_code=f"440111{i:03d}"
        )
        towns.append(town)
        for j, suffix in enumerate(VILLAGE_SUFFIXES, start=1):
            village = Organisation.objects.create(
                code=f"440111{i:03d}{j:03d}", name=f"{name[:2]}{suffix}", kind=OrgKind.VILLAGE, parent=town
            )
            villages.append(village)
            for k in (1, 2):
                grids.append(
                    Organisation.objects.create(
                        code=f"440111{i:03d}{j:03d}{k:02d}",
                        name=f"{village.name}第{k}网格",
                        kind=OrgKind.GRID,
                        parent=village,
                    )
                )
    return {
        "city": city,
        "city_bureau": city_bureau,
        "district": district,
        "bureau": bureau,
        "depts": depts,
        "towns": towns,
        "villages": villages,
        "grids": grids,
    }


# (username, role, organisation key, display name, what the README says)
ADVERTISED = [
    ("admin", Role.ADMIN, "bureau", "系统管理员", "系统管理员（信访局，含管理后台 /admin/）"),
    ("registrar", Role.REGISTRAR, "bureau", "李登记", "登记员（信访局）：登记、分流、录入复查复核申请"),
    ("registrar2", Role.REGISTRAR, "bureau", "王登记", "登记员（信访局）"),
    ("supervisor", Role.SUPERVISOR, "bureau", "赵督办", "督办员（信访局）"),
    ("leader", Role.LEADER, "bureau", "陈局长", "局领导（信访局）：统计分析、包案、接访"),
    ("leader2", Role.LEADER, "district", "周副区长", "区领导：包案、领导接访日"),
    ("auditor", Role.AUDITOR, "bureau", "周审计", "审计/纪检（只读）"),
    ("finance", Role.FINANCE, "bureau", "孙财务", "财务/绩效（信访局）"),
    ("handler_hrss", Role.HANDLER, "HRSS", "刘承办", "承办人（区人力资源和社会保障局）"),
    ("head_hrss", Role.UNIT_HEAD, "HRSS", "黄科长", "单位负责人（区人力资源和社会保障局）"),
    ("handler_housing", Role.HANDLER, "HOUSING", "吴承办", "承办人（区住房和城乡建设局）"),
    ("handler2_housing", Role.HANDLER, "HOUSING", "邓承办", "承办人（区住房和城乡建设局，第二承办人）"),
    ("head_housing", Role.UNIT_HEAD, "HOUSING", "郑科长", "单位负责人（区住房和城乡建设局）"),
    ("handler_town1", Role.HANDLER, "town1", "何承办", "承办人（江城街道）"),
    ("head_town1", Role.UNIT_HEAD, "town1", "林主任", "单位负责人（江城街道）"),
    ("handler_discipline", Role.HANDLER, "DISCIPLINE", "纪承办", "承办人（区纪委监委：检举控告）"),
    ("head_discipline", Role.UNIT_HEAD, "DISCIPLINE", "钟主任", "单位负责人（区纪委监委）"),
    ("reviewer_district", Role.UNIT_HEAD, "district", "区复查办", "复查机关（示例区人民政府）：出具复查意见"),
    ("reviewer_city", Role.UNIT_HEAD, "city", "市复核办", "复核机关（示例市人民政府）：出具复核意见"),
]
DEMO_LOGINS = [(username, label) for username, _role, _org, _name, label in ADVERTISED]


def _org_for(orgs: dict, key: str) -> Organisation:
    if key in orgs["depts"]:
        return orgs["depts"][key]
    if key == "town1":
        return orgs["towns"][0]
    return orgs[key]


def build_users(orgs: dict) -> list[User]:
    """The advertised logins, then a handler and a head for every other department and town."""
    hashed = make_password(DEMO_PASSWORD)
    users = [
        User(
            username=username,
            role=role,
            organisation=_org_for(orgs, key),
            display_name=name,
            password=hashed,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )  # fmt: skip
        for username, role, key, name, _label in ADVERTISED
    ]
    staffed = {u.organisation.pk for u in users if u.role in (Role.HANDLER, Role.UNIT_HEAD)}
    units = [*orgs["depts"].values(), *orgs["towns"]]
    for unit in units:
        if unit.pk in staffed:
            continue
        for prefix, role, title in (("handler", Role.HANDLER, "承办人"), ("head", Role.UNIT_HEAD, "负责人")):
            users.append(
                User(
                    username=f"{prefix}_{unit.code.lower()}",
                    role=role,
                    organisation=unit,
                    display_name=f"{unit.name}{title}",
                    password=hashed,
                )  # fmt: skip
            )
    return User.objects.bulk_create(users)

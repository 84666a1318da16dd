"""Demo district builder (used by `manage.py seed_demo`). All names and texts are invented."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from xinfang.orgs.models import Organisation, OrgKind, User
from xinfang.orgs.roles import Role

from .choices import Channel, Nature, Status
from .identity import make_id_number
from .models import Case, CaseEvent, CasePetitioner, CaseRouting, Category, Petitioner

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

# (first-level category name, responsible department code or None for the town of the place, weight)
CATEGORY_ROUTING = {
    "城乡建设": ("HOUSING", 25),
    "劳动和社会保障": ("HRSS", 18),
    "自然资源": ("PLAN", 6),
    "农村农业": (None, 6),
    "卫生健康": ("HEALTH", 5),
    "教育文体": ("EDU", 7),
    "政法": ("POLICE", 8),
    "生态环境": ("ECO", 7),
    "民政": ("CIVIL", 4),
    "交通运输": ("TRANS", 4),
    "组织人事": ("ORG", 1),
    "纪检监察": ("DISCIPLINE", 2),
    "企业改制与国资监管": ("SASAC", 1),
    "市场监管": ("MARKET", 3),
    "党务政务": ("GOVSVC", 1),
    "退役军人": ("VETERAN", 1),
    "其他": (None, 1),
}
TEXTS = {
    "城乡建设": [
        (
            "{place}{estate}小区物业服务差",
            "{estate}小区物业公司长期不清理垃圾，电梯多次故障无人维修，业主多次反映未果，请求相关部门督促整改。",
        ),
        (
            "{place}{estate}工地夜间施工噪音扰民",
            "{estate}旁边的工地每晚施工到凌晨，噪音严重影响居民休息，老人小孩无法入睡，请求依法查处夜间施工。",
        ),
        (
            "反映{estate}房屋漏水质量问题",
            "我购买的{estate}商品房交付后墙体开裂、卫生间漏水，开发商拒不维修，请求住建部门介入处理。",
        ),
    ],
    "劳动和社会保障": [
        (
            "{company}拖欠工资",
            "我在{company}工作，公司已拖欠我和同事{n}个月工资共计{money}元，多次讨要无果，请求帮助追讨拖欠工资。",
        ),
        (
            "反映{company}未缴纳社会保险",
            "{company}自入职以来一直未为员工缴纳社会保险，请求劳动监察部门依法处理，督促补缴。",
        ),
    ],
    "自然资源": [
        (
            "{place}征地补偿标准争议",
            "{place}{village}征收集体土地，补偿标准明显低于周边，村民意见很大，请求公开征地补偿方案。",
        )
    ],
    "农村农业": [
        (
            "{village}村务不公开",
            "{village}村委会多年未公开集体经济收支，土地承包款去向不明，请求镇里核查村务财务。",
        )
    ],
    "卫生健康": [
        (
            "反映{hospital}医疗纠纷",
            "家属在{hospital}手术后出现并发症，医院推卸责任，请求卫生健康部门调查处理医疗纠纷。",
        )
    ],
    "教育文体": [
        (
            "{school}学位分配问题",
            "我家孩子户籍在{place}，但未能分配到就近的{school}学位，请求教育局说明学位分配依据。",
        )
    ],
    "政法": [
        (
            "反映邻里纠纷派出所处理不公",
            "与邻居因宅基地边界发生纠纷，对方动手打人，派出所处理不公，请求重新调查。",
        )
    ],
    "生态环境": [
        ("{company}排放废气", "{place}{company}每天晚上偷排刺鼻废气，周边居民不敢开窗，请求环保部门查处。")
    ],
    "民政": [("申请低保未获批准", "家中{n}口人，丈夫重病无劳动能力，申请最低生活保障被驳回，请求重新审核。")],
    "交通运输": [
        (
            "{place}公交线路调整不便",
            "{place}公交线路调整后附近没有站点，居民出行非常不便，请求恢复原线路站点。",
        )
    ],
    "组织人事": [
        ("反映干部作风问题", "{place}办事窗口工作人员态度恶劣，办理业务多次刁难群众，请求整顿工作作风。")
    ],
    "纪检监察": [
        ("举报{place}干部违规收受礼金", "{place}某干部在工程发包中违规收受礼金，请求纪检部门调查。")
    ],
    "企业改制与国资监管": [
        ("企业改制职工安置问题", "原国有企业改制时职工身份置换补偿未落实，请求按政策解决。")
    ],
    "市场监管": [
        ("{company}销售过期食品", "在{company}购买的食品已过保质期，商家拒绝退赔，请求市场监管部门处理。")
    ],
    "党务政务": [("政务服务办事难", "在{place}办理营业执照变更来回跑了多次仍未办成，请求简化办事流程。")],
    "退役军人": [("退役军人优抚待遇未落实", "本人为退役军人，优抚金近两年未按时发放，请求核实落实。")],
    "其他": [("其他问题反映", "{place}{estate}附近路灯损坏多日无人维修，夜间出行不安全，请求尽快维修。")],
}
ESTATES = ["金碧花园", "云景新城", "翠湖雅苑", "锦绣华庭", "万科城", "碧桂苑", "滨江一号", "阳光家园"]
COMPANIES = ["宏达建筑公司", "鑫源电子厂", "顺丰物流园", "华美服装厂", "恒基置业", "明辉化工厂", "佳乐超市"]
HOSPITALS = ["区第一人民医院", "区中医院", "区妇幼保健院"]
SCHOOLS = ["实验小学", "第二中学", "育才小学"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严赖覃洪武莫孔"  # noqa: E501
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文玉兰辉春梅鹏飞宇婷雪琳浩然子轩欣怡晨阳"
CHANNEL_WEIGHTS = [
    (Channel.ONLINE, 45),
    (Channel.VISIT, 20),
    (Channel.LETTER, 15),
    (Channel.CALL, 8),
    (Channel.HOTLINE_12345, 6),
    (Channel.UPSTREAM, 3),
    (Channel.PEOPLES_DAILY, 2),
    (Channel.EMAIL, 1),
]
DEMO_LOGINS = [
    ("admin", "系统管理员（信访局）"),
    ("registrar", "登记员（信访局）"),
    ("registrar2", "登记员（信访局）"),
    ("supervisor", "督办员（信访局）"),
    ("leader", "局领导（信访局）"),
    ("auditor", "审计/纪检（只读）"),
    ("finance", "财务/绩效（信访局）"),
    ("handler_hrss", "承办人（区人力资源和社会保障局）"),
    ("head_hrss", "单位负责人（区人力资源和社会保障局）"),
    ("handler_housing", "承办人（区住房和城乡建设局）"),
    ("head_housing", "单位负责人（区住房和城乡建设局）"),
    ("handler_town1", "承办人（江城街道）"),
    ("head_town1", "单位负责人（江城街道）"),
]


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


def build_users(orgs: dict) -> list[User]:
    bureau, depts, town1 = orgs["bureau"], orgs["depts"], orgs["towns"][0]
    spec = [
        ("admin", Role.ADMIN, bureau, "系统管理员"),
        ("registrar", Role.REGISTRAR, bureau, "李登记"),
        ("registrar2", Role.REGISTRAR, bureau, "王登记"),
        ("supervisor", Role.SUPERVISOR, bureau, "赵督办"),
        ("leader", Role.LEADER, bureau, "陈局长"),
        ("auditor", Role.AUDITOR, bureau, "周审计"),
        ("finance", Role.FINANCE, bureau, "孙财务"),
        ("handler_hrss", Role.HANDLER, depts["HRSS"], "刘承办"),
        ("head_hrss", Role.UNIT_HEAD, depts["HRSS"], "黄科长"),
        ("handler_housing", Role.HANDLER, depts["HOUSING"], "吴承办"),
        ("head_housing", Role.UNIT_HEAD, depts["HOUSING"], "郑科长"),
        ("handler_town1", Role.HANDLER, town1, "何承办"),
        ("head_town1", Role.UNIT_HEAD, town1, "林主任"),
    ]
    users = []
    for username, role, org, name in spec:
        user = User(
            username=username,
            role=role,
            organisation=org,
            display_name=name,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        users.append(user)
    return users


def _due(start: date, n: int) -> date:
    from xinfang.calendar.services import add_days

    return add_days(start, n).date


def _person(rng: random.Random, serial: int) -> Petitioner:
    born = date(1950 + rng.randrange(55), 1 + rng.randrange(12), 1 + rng.randrange(28))
    region = f"440111{rng.randrange(1, 21):03d}"[:6]
    return Petitioner(
        name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
        id_number=make_id_number(region, born, serial),
        phone=f"13{rng.randrange(10**9):09d}",
        address=f"示例区{rng.choice(TOWNS)}{rng.randrange(1, 300)}号",
    )


def build_cases(
    orgs: dict,
    users: list[User],
    *,
    total: int,
    years: int,
    rng: random.Random,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 5000,
) -> int:
    registrars = [u for u in users if u.role == Role.REGISTRAR]
    categories = list(Category.objects.filter(parent__isnull=False).select_related("parent"))
    by_top: dict[str, list[Category]] = {}
    for c in categories:
        by_top.setdefault(c.parent.name, []).append(c)
    tops = [t for t in CATEGORY_ROUTING if t in by_top]
    top_weights = [CATEGORY_ROUTING[t][1] for t in tops]
    channels, channel_weights = zip(*CHANNEL_WEIGHTS, strict=True)
    today = timezone.localdate()
    span = 365 * years
    # A pool of people so that some petition again (repeat cases).
    pool_size = max(50, total // 3)
    seq_by_year: dict[int, int] = {}
    made = 0
    person_serial = 0
    while made < total:
        n = min(batch, total - made)
        with transaction.atomic():
            people = []
            for _ in range(n):
                person_serial += 1
                people.append(_person(rng, person_serial) if person_serial <= pool_size else None)
            Petitioner.objects.bulk_create([p for p in people if p is not None], batch_size=2000)
            pool_ids = list(Petitioner.objects.order_by("-id").values_list("id", flat=True)[:pool_size])
            cases, meta = [], []
            for i in range(n):
                top = rng.choices(tops, top_weights)[0]
                cat = rng.choice(by_top[top])
                received = today - timedelta(days=int(span * (1 - (made + i) / total)))
                year = received.year
                if year not in seq_by_year:
                    seq_by_year[year] = _max_seq(year)
                seq_by_year[year] += 1
                town = rng.choice(orgs["towns"])
                dept_code = CATEGORY_ROUTING[top][0]
                unit = orgs["depts"][dept_code] if dept_code else town
                title, content = _text(rng, top, town.name)
                channel = rng.choices(channels, channel_weights)[0]
                headcount = rng.choice((1,) * 18 + (2, 3, 6, 12))
                case = Case(
                    number=f"XF-{year}-{seq_by_year[year]:06d}",
                    year=year,
                    seq=seq_by_year[year],
                    channel=channel,
                    upstream_ref=f"GJ{year}{rng.randrange(10**6):06d}" if channel == Channel.UPSTREAM else "",
                    upstream_level=rng.choice(("national", "province", "city"))
                    if channel == Channel.UPSTREAM
                    else "",
                    title=title,
                    content=content,
                    requests="请求依法依规处理并书面答复",
                    category=cat,
                    nature=Nature.ACCUSATION
                    if top == "纪检监察"
                    else rng.choice((Nature.APPEAL,) * 8 + (Nature.SUGGESTION,)),
                    accused_organisation=town if top == "纪检监察" else None,
                    place_organisation=town,
                    place_address=f"{town.name}{rng.randrange(1, 200)}号",
                    headcount=headcount,
                    is_collective=headcount >= 5,
                    is_first=rng.random() > 0.2,
                    is_major_urgent=rng.random() < 0.01,
                    received_date=received,
                    registered_at=timezone.make_aware(
                        datetime.combine(received, time(8 + rng.randrange(9), rng.randrange(60)))
                    ),
                    registered_by=rng.choice(registrars),
                    registering_org=orgs["bureau"],
                    query_code=f"{rng.randrange(16**8):08X}",
                    search_text=f"{title}\n{content}",
                )
                if top == "纪检监察":
                    unit = orgs["depts"]["DISCIPLINE"]
                _advance(case, unit, received, today, rng)
                cases.append(case)
                meta.append((unit, rng.choice(pool_ids)))
            Case.objects.bulk_create(cases, batch_size=2000)
            CasePetitioner.objects.bulk_create(
                [
                    CasePetitioner(case=c, petitioner_id=pid, is_primary=True)
                    for c, (_, pid) in zip(cases, meta, strict=True)
                ],
                batch_size=2000,
            )
            CaseRouting.objects.bulk_create(
                [
                    CaseRouting(case=c, unit=u, kind="forward", routed_at=c.triaged_at)
                    for c, (u, _) in zip(cases, meta, strict=True)
                    if c.triaged_at
                ],
                batch_size=2000,
            )
            CaseEvent.objects.bulk_create(_events(cases, meta), batch_size=2000)
        made += n
        if progress and (made % 50000 == 0 or made == total) and total >= 50000:
            progress(made, total)
    return made


def _max_seq(year: int) -> int:
    from django.db.models import Max

    return Case.objects.filter(year=year).aggregate(m=Max("seq"))["m"] or 0


def _text(rng: random.Random, top: str, place: str) -> tuple[str, str]:
    title, body = rng.choice(TEXTS[top])
    fill = {
        "place": place,
        "estate": rng.choice(ESTATES),
        "company": rng.choice(COMPANIES),
        "hospital": rng.choice(HOSPITALS),
        "school": rng.choice(SCHOOLS),
        "village": place[:2] + "村",
        "n": rng.randrange(2, 7),
        "money": rng.randrange(5, 90) * 1000,
    }
    return title.format(**fill), body.format(**fill)


def _advance(case: Case, unit: Organisation, received: date, today: date, rng: random.Random) -> None:
    """Move a demo case along the statutory path according to its age, with consistent milestones."""
    tz = timezone.get_current_timezone()
    case.triage_due_date = _due(received, 15)
    age = (today - received).days
    case.current_step, case.due_date = "triage", case.triage_due_date
    if age < 3:
        return
    triaged = received + timedelta(days=min(age, rng.choice((1, 2, 3, 5, 8, 14, 16))))
    case.triaged_at = datetime.combine(triaged, time(10), tz)
    case.received_by_unit_at = case.triaged_at
    case.responsible_unit = unit
    case.status = Status.FORWARDED
    case.current_step, case.due_date = "acceptance", _due(triaged, 15)
    if age < 10:
        return
    accepted = triaged + timedelta(days=rng.choice((1, 3, 5, 7)))
    case.accepted_at = datetime.combine(accepted, time(11), tz)
    case.handling_route = "art31_6"
    case.handling_due_date = _due(accepted, 60)
    case.status = Status.HANDLING
    case.current_step, case.due_date = "handling", case.handling_due_date
    if age < 40 and rng.random() < 0.7:
        return
    replied = accepted + timedelta(days=rng.choice((10, 20, 30, 45, 55, 59, 62, 75)))
    if replied >= today:
        return
    case.replied_at = datetime.combine(replied, time(15), tz)
    case.status = Status.REPLIED
    case.current_step, case.due_date = "", None
    if (today - replied).days > 60 and rng.random() < 0.6:
        case.status = Status.CONCLUDED
        case.concluded_at = datetime.combine(replied + timedelta(days=31), time(9), tz)


def _events(cases: list[Case], meta: list) -> list[CaseEvent]:
    events = []
    for case, (unit, _) in zip(cases, meta, strict=True):
        events.append(
            CaseEvent(
                case=case,
                at=case.registered_at,
                actor=case.registered_by,
                action="register",
                label="登记",
                to_status=Status.REGISTERED,
            )
        )
        if case.triaged_at:
            events.append(
                CaseEvent(
                    case=case,
                    at=case.triaged_at,
                    action="forward",
                    label="转送",
                    unit=unit,
                    from_status=Status.REGISTERED,
                    to_status=Status.FORWARDED,
                )
            )
        if case.accepted_at:
            events.append(
                CaseEvent(
                    case=case,
                    at=case.accepted_at,
                    action="accept",
                    label="受理",
                    unit=unit,
                    from_status=Status.FORWARDED,
                    to_status=Status.ACCEPTED,
                )
            )
        if case.replied_at:
            events.append(
                CaseEvent(
                    case=case,
                    at=case.replied_at,
                    action="reply",
                    label="出具处理意见书",
                    unit=unit,
                    from_status=Status.HANDLING,
                    to_status=Status.REPLIED,
                )
            )
    return events

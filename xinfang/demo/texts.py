"""What the demo's petitions say: categories and who handles them, letter texts, people and channels."""

from __future__ import annotations

import random
from datetime import date

from xinfang.cases.choices import Channel
from xinfang.cases.identity import make_id_number
from xinfang.cases.registration import PetitionerInput

from .district import TOWNS

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
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严赖覃洪武莫孔"
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


def person(rng: random.Random, serial: int) -> PetitionerInput:
    born = date(1950 + rng.randrange(55), 1 + rng.randrange(12), 1 + rng.randrange(28))
    region = f"440111{rng.randrange(1, 21):03d}"[:6]
    return PetitionerInput(
        name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
        id_number=make_id_number(region, born, serial),
        phone=f"13{rng.randrange(10**9):09d}",
        address=f"示例区{rng.choice(TOWNS)}{rng.randrange(1, 300)}号",
    )


def text(rng: random.Random, top: str, place: str) -> tuple[str, str]:
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

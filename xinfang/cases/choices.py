"""Enumerations used by cases. Labels are what users read; values are stable codes."""

from django.db import models


class Channel(models.TextChoices):
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    CALL = "call", "来电"
    ONLINE = "online", "网上信访"
    EMAIL = "email", "来邮"
    PEOPLES_DAILY = "peoples_daily", "人民网留言"
    HOTLINE_12345 = "hotline_12345", "12345转办"
    UPSTREAM = "upstream", "上级交办"


class UpstreamLevel(models.TextChoices):
    NATIONAL = "national", "国家"
    PROVINCE = "province", "省"
    CITY = "city", "市"


class Nature(models.TextChoices):
    SUGGESTION = "suggestion", "建议意见"
    ACCUSATION = "accusation", "检举控告"
    APPEAL = "appeal", "申诉求决"


class Status(models.TextChoices):
    REGISTERED = "registered", "已登记"
    FORWARDED = "forwarded", "已转送"
    ASSIGNED = "assigned", "已交办"
    INFORMED = "informed", "已告知"
    ACCEPTED = "accepted", "已受理"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    NOT_REACCEPTED = "not_reaccepted", "不再受理"
    OBJECTED = "objected", "异议退回"
    HANDLING = "handling", "办理中"
    EXTENDED = "extended", "已延期"
    REPLIED = "replied", "已答复"
    EVALUATED = "evaluated", "已评价"
    REVIEW_REQUESTED = "review_requested", "复查申请"
    REVIEWED = "reviewed", "已复查"
    REREVIEW_REQUESTED = "rereview_requested", "复核申请"
    REREVIEWED = "rereviewed", "已复核"
    COMPLETED = "completed", "已办结"
    CONCLUDED = "concluded", "已终结"
    MERGED = "merged", "已合并"
    WITHDRAWN = "withdrawn", "已撤回"


# What the petitioner sees (design.md §3): a small public set.
PUBLIC_STATUS = {
    Status.REGISTERED: "已登记",
    Status.FORWARDED: "办理中",
    Status.ASSIGNED: "办理中",
    Status.ACCEPTED: "办理中",
    Status.HANDLING: "办理中",
    Status.EXTENDED: "办理中",
    Status.OBJECTED: "办理中",
    Status.REPLIED: "已答复",
    Status.EVALUATED: "已答复",
    Status.REVIEW_REQUESTED: "复查复核中",
    Status.REVIEWED: "复查复核中",
    Status.REREVIEW_REQUESTED: "复查复核中",
    Status.REREVIEWED: "复查复核中",
    Status.COMPLETED: "已办结",
    Status.CONCLUDED: "已办结",
    Status.NOT_ACCEPTED: "已办结",
    Status.NOT_REACCEPTED: "已办结",
    Status.INFORMED: "已办结",
    Status.MERGED: "已办结",
    Status.WITHDRAWN: "已办结",
}

# States in which a case is finished for deadline purposes (no running clock).
CLOSED_STATUSES = frozenset(
    {
        Status.COMPLETED,
        Status.CONCLUDED,
        Status.NOT_ACCEPTED,
        Status.NOT_REACCEPTED,
        Status.INFORMED,
        Status.MERGED,
        Status.WITHDRAWN,
    }
)


class Outcome(models.TextChoices):
    """How handling ended when it was not (only) a 处理意见书: a suggestion's adoption, a settlement."""

    ADOPTED = "adopted", "采纳"
    PARTLY_ADOPTED = "partly_adopted", "部分采纳"
    NOT_ADOPTED = "not_adopted", "不采纳"
    MEDIATED = "mediated", "调解"
    SETTLED = "settled", "和解"
    ACCUSATION_ANSWERED = "accusation_answered", "检举控告已反馈"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    OTHER = "other", "其他证件"


class Flag(models.TextChoices):
    """Boolean flags on a case, named as the list filter uses them."""

    FIRST = "is_first", "初信初访"
    LEVEL_SKIPPING = "is_level_skipping", "越级"
    TO_BEIJING = "is_to_beijing", "进京"
    COLLECTIVE = "is_collective", "集体"
    MAJOR_URGENT = "is_major_urgent", "重大紧急"
    REPEAT = "is_repeat_suspect", "疑似重复"

"""Action codes and the legal vocabularies the workflow table speaks.

Other apps subscribe to actions by these constants (`hooks.after(ActionCode.REPLY)`), never by string.
"""

from __future__ import annotations

from enum import StrEnum


class ActionCode(StrEnum):
    REGISTER = "register"
    FORWARD = "forward"
    ASSIGN = "assign"
    INFORM = "inform"
    ACCEPT = "accept"
    NOT_ACCEPT = "not_accept"
    NOT_REACCEPT = "not_reaccept"  # a registration ruling (art.36 ¶3), never offered as a button
    DIRECT_RECEIPT = "direct_receipt"  # a registration ruling (art.23 ¶2), never offered as a button
    OBJECT = "object"
    REJECT_OBJECTION = "reject_objection"
    START_HANDLING = "start_handling"
    EXTEND = "extend"
    HEARING = "hearing"
    REPLY = "reply"
    REQUEST_REVIEW = "request_review"
    REVIEW_OPINION = "review_opinion"
    REQUEST_REREVIEW = "request_rereview"
    REREVIEW_OPINION = "rereview_opinion"
    CONCLUDE = "conclude"
    COMPLETE = "complete"  # run by the daily job when the 复查/复核 window lapses unused
    ANSWER_SUGGESTION = "answer_suggestion"
    ANSWER_ACCUSATION = "answer_accusation"
    MEDIATE = "mediate"
    RECUSE = "recuse"
    DRAFT_REPLY = "draft_reply"
    DRAFT_EXTENSION = "draft_extension"
    EVALUATE = "evaluate"  # run by the evaluation service once the petitioner has evaluated
    MERGE = "merge"
    WITHDRAW = "withdraw"


ART31_ROUTES = {
    "31(1)": "审判机关诉讼程序或者复议程序、检察机关刑事立案程序或者法律监督程序、公安机关法律程序（第三十一条第一项）",
    "31(2)": "仲裁程序（第三十一条第二项）",
    "31(3)": "党员申诉、申请复审程序（第三十一条第三项）",
    "31(4)": "行政复议、裁决、确认、许可、处罚等行政程序（第三十一条第四项）",
    "31(5)": "依法履行保护人身权或者财产权等合法权益职责（第三十一条第五项）",
}
ROUTE_HANDLING = "31(6)"
# Handling routes of the other two purposes (art.29 建议意见, art.30 检举控告): no 处理意见书, no 复查/复核.
ROUTE_SUGGESTION = "29"
ROUTE_ACCUSATION = "30"

DECISIONS = {"support": "支持", "explain": "解释说明", "reject": "不支持"}

NOT_ACCEPTED_GROUNDS = {
    "not_remit": "不属于本机关职权范围",
    "other_procedure": "已经或者依法应当通过诉讼、仲裁、行政复议等法定途径解决",
    "in_handling": "已受理且在办理期限内",
    "in_review_window": "已有处理意见且在复查、复核期限内",
    "unclear": "信访人无法联系、无实质内容或者姓名、住址不清",
}

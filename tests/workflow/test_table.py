"""The workflow table is consistent: every row executable, every state reachable, documents exist."""

from xinfang.cases.choices import CLOSED_STATUSES, Status
from xinfang.cases.workflow import table as wf
from xinfang.cases.workflow.actors import SYSTEM
from xinfang.cases.workflow.effects import EFFECTS
from xinfang.documents.case_documents import DOC_TYPES, load_template


def test_every_row_has_an_effect_and_valid_states_and_a_chinese_label():
    for code, action in wf.ACTIONS.items():
        assert code in EFFECTS
        assert action.from_states <= set(Status.values)
        assert action.to_state is None or action.to_state in Status.values
        assert action.article and any("\u4e00" <= ch <= "\u9fff" for ch in action.label)
        assert action.roles or action.actor == SYSTEM  # only the daily job takes a row without roles
        assert (
            action.starts is None
            or action.starts == ""
            or action.starts in ("triage", "acceptance", "handling", "review", "rereview")
        )


def test_closed_states_allow_no_action():
    for status in CLOSED_STATUSES:
        assert wf.actions_from(status) == []


def test_every_open_state_except_evaluation_has_a_way_forward():
    targets = {a.to_state for a in wf.ACTIONS.values()}
    for status in set(Status.values) - CLOSED_STATUSES:
        assert wf.actions_from(status), status
        assert status == Status.REGISTERED or status == Status.EVALUATED or status in targets


def test_every_document_named_by_the_table_has_a_template():
    named = {a.document for a in wf.ACTIONS.values() if a.document}
    assert named <= set(DOC_TYPES)
    for doc_type in DOC_TYPES:
        assert load_template(doc_type)["title"]

"""Workflow panel on the case page: the actions the table allows this user, as htmx forms.

Views authorise, parse with inputs.py (the same forms the JSON API uses), then call engine.execute;
every rule lives in the table, its guards and the effects.
A refused action re-renders its form with what the user typed and the Chinese message; a conflict
(someone else changed the case) keeps the typed text and offers the form again on the fresh version.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xinfang.audit.services import record
from xinfang.cases.permissions import get_case_for
from xinfang.core.errors import ConflictError, ServiceError, ValidationFailed

from ..models import Case
from . import deadlines
from . import table as wf
from .engine import allowed_actions, execute
from .inputs import DRAFTED_BY, action_form, execute_arguments
from .records import CaseDocument


def _panel(request: HttpRequest, case: Case, *, bound: dict | None = None, message: str = "", typed=None):
    bound = bound or {}
    actions = []
    for action in allowed_actions(case, request.user):
        form = bound.get(action.code) or action_form(action, case, prefix=action.code)
        actions.append({"action": action, "form": form, "open": action.code in bound})
    profile = deadlines.active_profile()
    context = {
        "case": case,
        "actions": actions,
        "documents": case.documents.defer("rendered", "values").order_by("created_at", "id"),
        "message": message,
        "step_label": profile.rules[case.current_step].label if case.current_step in profile.rules else "",
        "profile": profile,
        "typed": typed,
    }
    return render(request, "workflow/panel.html", context)


@login_required
def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    return _panel(request, get_case_for(request.user, case_id))


@login_required
@require_POST
def act(request: HttpRequest, case_id: int, code: str) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    action = wf.ACTIONS.get(code)
    if action is None:
        raise Http404("未知的办理操作")
    form = action_form(action, case, request.POST, prefix=action.code)
    if not form.is_valid():
        return _respond_error(request, case, action, form, "请更正标出的内容")
    version, data = execute_arguments(form)
    try:
        execute(code, case, request.user, version=version, **data)
    except ConflictError as exc:
        fresh = get_case_for(request.user, case_id)
        retry = action_form(
            action, fresh, _with_version(request.POST, action, fresh.version), prefix=action.code
        )
        retry.is_valid()
        return _respond_error(request, fresh, action, retry, exc.message, conflict=True)
    except ValidationFailed as exc:
        for name, msgs in exc.errors.items():
            for msg in msgs:
                form.add_error(name if name in form.fields else None, msg)
        return _respond_error(request, case, action, form, exc.message)
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _respond_error(request, case, action, form, exc.message)
    if action.to_state is None and action.code in DRAFTED_BY.values():
        messages.success(request, "草稿已保存；答复（申请）表单将以此为初稿")
    else:
        messages.success(request, f"已完成：{action.label}")
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect("cases:detail", case_id=case.pk)


def _with_version(post, action: wf.Action, version: int):
    data = post.copy()
    data[f"{action.code}-version"] = str(version)
    return data


def _respond_error(request, case, action, form, message, conflict=False):
    allowed = {a.code for a in allowed_actions(case, request.user)}
    if action.code not in allowed:
        # The case moved on: the action is gone, but what the user typed is shown so nothing is lost.
        typed = {f.label: form.data.get(f"{action.code}-{f.name}", "") for f in action.fields}
        message = f"{message}（该操作当前已不可执行）"
        return _panel(request, case, message=message, typed={"action": action, "values": typed})
    return _panel(request, case, bound={action.code: form}, message=message)


@login_required
def document(request: HttpRequest, case_id: int, doc_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    doc = CaseDocument.objects.filter(pk=doc_id, case=case).first()
    if doc is None:
        raise Http404("文书不存在")
    record(
        "case.document_download",
        actor=request.user,
        obj=case,
        after={"document": doc.pk, "type": doc.doc_type},
    )
    response = HttpResponse(
        bytes(doc.content),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(doc.filename)}"
    return response

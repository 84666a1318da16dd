"""Case pages: list, detail, registration. Views parse, authorise and call services; no rules here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xinfang.cases.permissions import (
    LEDGER_REFUSED,
    can_import_ledger,
    can_register,
    get_case_for,
    sees_full_identity,
    visible_cases,
)
from xinfang.core.errors import ServiceError, ValidationFailed
from xinfang.orgs.throttle import client_address

from . import ledger, uploads
from .forms import CaseFilterForm, PetitionerFormSet, RegistrationForm
from .identity import mask_id, mask_phone
from .ledger_write import import_ledger
from .models import CaseEvent
from .repeats import earlier_case_for, find_earlier_cases
from .selectors import filtered_cases, list_page, mark_deadline_states
from .services import register_case, reveal_identity
from .workflow import queues


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    form.fields["q"].widget.attrs["placeholder"] = (
        "编号、交办编号、姓名、身份证号、电话或关键词"
        if sees_full_identity(request.user)
        else "编号、交办编号或关键词"
    )
    if not queues.has_queue(request.user):
        del form.fields["todo"]
    params = form.cleaned_data if form.is_bound and form.is_valid() else {}
    context = {
        "form": form,
        "todo": bool(params.get("todo")),
        "more_filters": any(v for k, v in params.items() if k not in ("q", "todo")),
        "can_import_ledger": can_import_ledger(request.user),
        **list_page(filtered_cases(request.user, params), request.GET),
    }
    template = (
        "cases/_list_table.html"
        if request.htmx and request.htmx.target == "case-table"
        else "cases/list.html"
    )
    return render(request, template, context)


def _party_rows(case, reveal: bool) -> list[dict]:
    rows = []
    for cp in case.parties.select_related("petitioner").order_by("-is_primary", "id"):
        p = cp.petitioner
        rows.append(
            {
                "name": p.name,
                "id_number": p.id_number if reveal else mask_id(p.id_number),
                "phone": p.phone if reveal else mask_phone(p.phone),
                "address": p.address,
                "is_primary": cp.is_primary,
                "is_representative": cp.is_representative,
            }
        )
    return rows


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    mark_deadline_states([case])  # the same 超期/临期 marks as the list
    context = {
        "case": case,
        "parties": _party_rows(case, reveal=False),
        "can_reveal": sees_full_identity(request.user),
        "events": CaseEvent.objects.of(case).select_related("actor", "unit").order_by("at", "id"),
        "attachments": case.attachments.all(),
        "earlier_case": earlier_case_for(case, request.user) if case.is_repeat_suspect else None,
    }
    return render(request, "cases/detail.html", context)


@login_required
@require_POST
def reveal_parties(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    if not sees_full_identity(request.user):
        raise PermissionDenied("您的角色无权查看完整身份信息")
    reveal_identity(actor=request.user, case=case, address=client_address(request))
    return render(request, "cases/_parties.html", {"case": case, "parties": _party_rows(case, reveal=True)})


@login_required
def register(request: HttpRequest) -> HttpResponse:
    if not can_register(request.user):
        raise PermissionDenied("您没有登记信访事项的权限")
    form = RegistrationForm(request.POST or None)
    people = PetitionerFormSet(request.POST or None, prefix="p")
    pending, upload_errors = [], []
    if request.method == "POST":
        pending = uploads.pending_of(request.user, request.POST.getlist("pending"))
        fresh = request.FILES.getlist("attachments")
        if form.is_valid() & people.is_valid():
            petitioners = [p for f in people.forms if (p := f.to_input()) is not None]
            files = uploads.as_files(pending)
            try:
                # register_case checks the fields and every file together: one round of errors.
                with transaction.atomic():
                    case = register_case(
                        actor=request.user,
                        data=form.to_input(petitioners),
                        attachments=files + fresh,
                        suggestions=_shown_suggestions(request.POST),
                    )
                    uploads.discard(pending)
            except ValidationFailed as exc:
                errors = dict(exc.errors)
                upload_errors = errors.pop("attachments", [])
                _attach_errors(form, people, errors)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已登记 {case.number}")
                return redirect("cases:detail", case_id=case.pk)
            finally:
                for f in files:
                    f.close()
        # The form comes back: this round's acceptable files are kept, so none has to be chosen again.
        kept, refused = uploads.keep(request.user, fresh)
        pending += kept
        upload_errors = upload_errors or refused
    context = {
        "form": form, "people": people, "pending": pending, "upload_errors": upload_errors,
        "can_import_ledger": can_import_ledger(request.user),
    }  # fmt: skip
    return render(request, "cases/register.html", context)


@login_required
def ledger_import(request: HttpRequest) -> HttpResponse:
    """批量导入台账: upload, the row-level errors on rejection, the summary on success."""
    if not can_import_ledger(request.user):
        raise PermissionDenied(LEDGER_REFUSED)
    context: dict = {"columns": ledger.HEADERS, "required": ledger.REQUIRED}
    if request.method != "POST":
        return render(request, "cases/ledger_import.html", context)
    upload = request.FILES.get("file")
    if upload is None:
        context["errors"] = ["请选择要导入的 .xlsx 或 .csv 文件"]
    else:
        try:
            context["outcome"] = import_ledger(
                actor=request.user, content=upload.read(), filename=upload.name
            )
        except ledger.LedgerRejected as exc:
            context["errors"] = exc.errors
        except ServiceError as exc:
            context["errors"] = [exc.message]
    return render(request, "cases/ledger_import.html", context, status=400 if "errors" in context else 200)


@login_required
def ledger_template(request: HttpRequest) -> HttpResponse:
    if not can_import_ledger(request.user):
        raise PermissionDenied(LEDGER_REFUSED)
    response = HttpResponse(
        ledger.template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E4%BF%A1%E8%AE%BF%E5%8F%B0%E8%B4%A6%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


@login_required
def attachment(request: HttpRequest, case_id: int, attachment_id: int) -> HttpResponse:
    return uploads.download(request.user, case_id, attachment_id, address=client_address(request))


def _shown_suggestions(post) -> dict | None:
    """What the triage panel suggested when the registrar saved (recorded for retraining)."""
    label = post.get("triage_suggested_label", "")
    unit = post.get("triage_suggested_unit") or None
    if not label and not unit:
        return None
    return {
        "categories": [{"label": label, "category_id": post.get("triage_suggested_category") or None}],
        "units": [{"unit_id": unit}],
    }


def _attach_errors(form: RegistrationForm, people, errors: dict[str, list[str]]) -> None:
    """Put service errors next to the fields they name; nothing the user typed is lost."""
    for key, msgs in errors.items():
        parts = key.split(".")
        for msg in msgs:
            if parts[0] == "petitioners" and len(parts) == 3 and int(parts[1]) < len(people.forms):
                people.forms[int(parts[1])].add_error(
                    parts[2] if parts[2] in people.forms[0].fields else None, msg
                )
            elif parts[0] in form.fields:
                form.add_error(parts[0], msg)
            else:
                form.add_error(None, msg)


@login_required
@require_POST
def earlier_cases(request: HttpRequest) -> HttpResponse:
    """htmx: earlier cases of the petitioners being typed in (registration page)."""
    if not can_register(request.user):
        raise PermissionDenied
    people = PetitionerFormSet(request.POST, prefix="p")
    petitioners = []
    if people.is_valid():
        petitioners = [p for f in people.forms if (p := f.to_input()) is not None]
    found = find_earlier_cases(petitioners, request.POST.get("content", ""), viewer=request.user)
    visible = set(
        visible_cases(request.user).filter(pk__in=[e.case.pk for e in found]).values_list("pk", flat=True)
    )
    found = [e for e in found if e.case.pk in visible]
    context = {"earlier": found, "has_content": bool(request.POST.get("content", "").strip())}
    return render(request, "cases/_earlier_cases.html", context)

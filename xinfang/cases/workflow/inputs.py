"""The inputs of a workflow action: what they look like and how submitted values become `execute()` arguments.

Shared by the case page (views_workflow, htmx forms) and the JSON API (api_workflow): one Django form per
row of the workflow table, so a date, a number, an organisation or a choice is parsed by the same rules
whichever way it arrives. The rules on the values themselves (required inputs, event dates, deadlines,
who may be routed to) stay in the engine and the table; this module only parses.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from xinfang.core import clock
from xinfang.core.errors import ValidationFailed
from xinfang.core.forms import CleanCharField
from xinfang.orgs.models import Organisation

from ..models import Case, CaseEvent
from . import table as wf
from .actors import review_body_for
from .queries import current_review_request
from .unit_picker import OrgChoice, accused_chain, accused_note, eligible_units, suggested_unit_id

VERSION_LABEL = "版本号"
MAX_INT = 2_147_483_647  # what an integer column holds on every database; larger numbers are a 422, not a 500

# How each kind of table field travels as JSON (the API describes the fields with these).
JSON_TYPES = {
    "text": "string",
    "textarea": "string",
    "case": "string",
    "choice": "string",
    "date": "string",
    "int": "integer",
    "unit": "integer",
    "bool": "boolean",
}


def form_field(f: wf.Field, case: Case | None = None) -> forms.Field:
    # Every input is optional here: engine.check_inputs decides what is required, once.
    common = {"label": f.label, "required": False, "help_text": f.help}
    if f.kind == "textarea":
        return CleanCharField(multiline=True, widget=forms.Textarea(attrs={"rows": 3}), **common)
    if f.kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if f.kind == "int":
        return forms.IntegerField(min_value=1, max_value=MAX_INT, **common)
    if f.kind == "bool":
        return forms.BooleanField(**common)
    if f.kind == "choice":
        return forms.ChoiceField(choices=[("", "—— 请选择 ——"), *f.choices], **common)
    if f.kind == "unit":
        if case is not None and (note := accused_note(case)):
            common["help_text"] = " ".join(filter(None, (f.help, note)))
        return OrgChoice(
            queryset=eligible_units(), hidden=accused_chain(case), empty_label="—— 请选择 ——", **common
        )
    return CleanCharField(**common)


def initial_values(action: wf.Action, case: Case) -> dict[str, Any]:
    """What the form offers before the user types: today for dates, the petitioner's requests, and the
    body one level above for 复查/复核 requests."""
    today = clock.today()
    initial: dict[str, Any] = {"version": case.version, "on": today, "served_on": today, "received_on": today}
    initial["request_text"] = case.requests
    if action.code in ("request_review", "request_rereview"):
        handler = case.responsible_unit
        if action.code == "request_rereview":
            req = current_review_request(case)
            handler = req.body if req else None
        initial["body"] = review_body_for(handler)
    if action.code in ("forward", "assign"):
        initial["unit"] = suggested_unit_id(case)
    if action.code in DRAFTED_BY:
        initial.update(latest_draft(case, DRAFTED_BY[action.code]))
    return initial


# The action whose form starts from the latest draft, and the draft action that saves it (a draft's own form
# starts from it too, so editing a draft again never drops what it held).
DRAFTED_BY = {
    "reply": "draft_reply",
    "extend": "draft_extension",
    "draft_reply": "draft_reply",
    "draft_extension": "draft_extension",
}


def latest_draft(case: Case, draft_code: str) -> dict[str, Any]:
    """The values of the latest draft saved since the case entered its current state."""
    event = (
        CaseEvent.objects.of(case).filter(action=draft_code).order_by("-at", "-id").only("data").first()
        if case.pk
        else None
    )
    if event is None:
        return {}
    return {k: v for k, v in (event.data.get("draft") or {}).items()}


def action_form(action: wf.Action, case: Case, data=None, *, prefix: str | None = None) -> forms.Form:
    """The form for one row of the table (plus the hidden version the user saw)."""
    fields: dict[str, forms.Field] = {f.name: form_field(f, case) for f in action.fields}
    fields["version"] = forms.IntegerField(label=VERSION_LABEL, widget=forms.HiddenInput, max_value=MAX_INT)
    form_class = type(f"{action.code.title()}Form", (forms.Form,), fields)
    form = form_class(data, initial=initial_values(action, case), prefix=prefix)
    for name, fld in form.fields.items():
        label = fld.label or name
        fld.error_messages["required"] = f"请填写“{label}”"
        fld.error_messages["invalid"] = f"“{label}”格式不正确"
        fld.error_messages["invalid_choice"] = f"“{label}”取值无效"
        fld.error_messages["min_value"] = f"“{label}”须为正整数"
    return form


def execute_arguments(form: forms.Form) -> tuple[int, dict[str, Any]]:
    """The version and the keyword data for engine.execute from a valid form. Empty inputs are left
    out so the service applies its own defaults (e.g. today for an event date)."""
    data = {k: v for k, v in form.cleaned_data.items() if k != "version" and v not in (None, "")}
    return form.cleaned_data["version"], data


def form_errors(form: forms.Form) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def _posted(value: Any) -> str | bool:
    """A JSON value as an HTML form would have posted it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    return str(value)


def arguments_from_json(action: wf.Action, case: Case, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The API's input: a JSON object `{version, ...fields}` parsed by the same form as the page.

    Names the action does not have are refused rather than ignored (a misspelt "served_on" must not fall
    back to today), and so are lists, objects, and true/false for anything but a yes/no field.
    Raises ValidationFailed({field: [中文信息]}).
    """
    by_name = {f.name: f for f in action.fields}
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    for name, value in payload.items():
        f = by_name.get(name)
        if f is None and name != "version":
            errors[name] = [f"“{action.label}”没有“{name}”这一项"]
        elif isinstance(value, (list, dict)) or (isinstance(value, bool) and (f is None or f.kind != "bool")):
            errors[name] = [f"“{f.label if f else VERSION_LABEL}”格式不正确"]
        else:
            data[name] = _posted(value)
    form = action_form(action, case, data)
    if not form.is_valid():
        for name, messages in form_errors(form).items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationFailed(errors)
    return execute_arguments(form)


def _json_value(value: Any) -> Any:
    if isinstance(value, Organisation):
        return value.pk
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _flat(choices) -> list[tuple[Any, Any]]:
    """Choices with option groups (the unit picker) as one flat list."""
    flat = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            flat.extend(label)
        else:
            flat.append((value, label))
    return flat


def describe(action: wf.Action, case: Case) -> dict[str, Any]:
    """A row of the table as the API shows it: its inputs with their JSON types, choices and defaults."""
    form = action_form(action, case)
    fields = []
    for f in action.fields:
        fld = form.fields[f.name]
        choices = []
        if f.kind in ("choice", "unit"):
            choices = [
                {"value": _json_value(getattr(value, "value", value)), "label": str(label)}
                for value, label in _flat(fld.choices)
                if value not in ("", None)
            ]
        fields.append(
            {
                "name": f.name,
                "label": f.label,
                "kind": f.kind,
                "type": JSON_TYPES.get(f.kind, "string"),
                "format": "date" if f.kind == "date" else None,
                "required": f.required,
                "help": f.help,
                "choices": choices,
                "initial": _json_value(form.get_initial_for_field(fld, f.name)),
            }
        )
    return {
        "code": action.code,
        "label": action.label,
        "article": action.article,
        "to_status": action.to_state,
        "document": action.document,
        "confirm": action.confirm,
        "fields": fields,
    }

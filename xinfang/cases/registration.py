"""The registration fields, declared once: model → ``RegistrationInput`` → form and API schema.

Each input field is a dataclass field that names the model it is stored in; its Chinese label,
kind, choices, ``max_length`` and integer range are read from that model field, so the form
(``form_fields``), the ninja schema (``build_schema``), the validation messages and the API error
labels (``label``) cannot drift from the model. Text is normalised by ``core.text.clean_text``
wherever it enters through a generated field.
"""

from __future__ import annotations

import dataclasses
from dataclasses import MISSING, dataclass
from datetime import date
from functools import cache
from typing import Annotated, Any, Literal

from django import forms
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from pydantic import AfterValidator, StringConstraints
from pydantic import Field as SchemaField

from xinfang.core.forms import CleanCharField
from xinfang.core.text import clean_text

from .choices import IdType, Nature
from .models import Case, CasePetitioner, Petitioner

# The most people one case may count (来访人数, or a joint letter's signatories).
MAX_HEADCOUNT = 100_000

# Labels of things that are not one model field.
EXTRA_LABELS = {"petitioners": "信访人", "attachments": "附件"}


def declared(
    model: type[models.Model],
    *,
    default: Any = MISSING,
    label: str | None = None,
    help: str = "",
    initial: Any = MISSING,
    min_value: int | None = None,
    max_value: int | None = None,
    rows: int | None = None,
    hidden: bool = False,
) -> Any:
    """A registration field stored in the same-named field of ``model``.

    ``label`` overrides the model's verbose_name (only where the registration desk says it
    differently); ``help`` is the API description; ``initial``, ``rows`` and ``hidden`` shape the form.
    A field without ``default`` must be present in the API body.
    """
    meta = {"model": model, "label": label, "help": help, "initial": initial}
    meta |= {"min_value": min_value, "max_value": max_value}
    return dataclasses.field(default=default, metadata={**meta, "rows": rows, "hidden": hidden})


@dataclass
class PetitionerInput:
    name: str = declared(Petitioner)
    id_type: str = declared(Petitioner, default=IdType.RESIDENT_ID)
    id_number: str = declared(
        Petitioner, default="", label="身份证号码", help="证件号码（居民身份证按 GB 11643 校验）"
    )
    phone: str = declared(Petitioner, default="")
    address: str = declared(Petitioner, default="")
    is_representative: bool = declared(CasePetitioner, default=False, help="是否为代表")


@dataclass
class RegistrationInput:
    channel: str = declared(Case)
    title: str = declared(Case)
    content: str = declared(Case, rows=6)
    category: int | None = declared(Case, help="内容分类 ID")
    nature: str = declared(Case, initial=Nature.APPEAL)
    received_date: date | None = declared(Case)
    petitioners: list[PetitionerInput] = dataclasses.field(default_factory=list)
    requests: str = declared(Case, default="", rows=2)
    upstream_ref: str = declared(Case, default="")
    upstream_level: str = declared(Case, default="")
    accused_organisation: int | None = declared(Case, default=None)
    place_organisation: int | None = declared(Case, default=None)
    place_address: str = declared(Case, default="")
    # At most MAX_HEADCOUNT: the rollups add headcounts up in integer columns (a 2-billion headcount was a 500).
    headcount: int = declared(Case, default=1, label="来访人数", min_value=1, max_value=MAX_HEADCOUNT)
    is_first: bool = declared(Case, default=True)
    is_level_skipping: bool = declared(Case, default=False)
    is_to_beijing: bool = declared(Case, default=False)
    is_major_urgent: bool = declared(Case, default=False)
    is_confidential: bool = declared(Case, default=False)
    related_case: int | None = declared(Case, default=None, hidden=True)


@dataclass(frozen=True)
class FieldSpec:
    """One registration field as the form, the schema and the messages see it."""

    name: str
    label: str
    kind: str  # "text", "choice", "reference", "integer", "boolean", "date"
    required: bool  # the API body must carry it
    default: Any
    multiline: bool = False
    blank: bool = True  # the model allows an empty value
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int | None = None
    int_range: tuple[int, int] | None = None
    help: str = ""
    initial: Any = None
    rows: int | None = None
    hidden: bool = False


def _kind(mf: models.Field) -> str:
    if isinstance(mf, models.ForeignKey):
        return "reference"
    if isinstance(mf, models.BooleanField):
        return "boolean"
    if isinstance(mf, models.DateField):
        return "date"
    if isinstance(mf, models.IntegerField):
        return "integer"
    return "choice" if mf.choices else "text"


def _int_range(mf: models.Field, min_value: int | None, max_value: int | None) -> tuple[int, int] | None:
    # The portable range (PostgreSQL's), so SQLite refuses the same numbers instead of storing them; narrowed
    # by the declared min_value / max_value.
    target = mf.target_field if isinstance(mf, models.ForeignKey) else mf
    bounds = BaseDatabaseOperations.integer_field_ranges.get(target.get_internal_type())
    if bounds is None:
        return None
    low, high = bounds
    if isinstance(mf, models.ForeignKey):
        low = max(low, 1)  # a primary key is positive
    return (
        low if min_value is None else max(low, min_value),
        high if max_value is None else min(high, max_value),
    )


def _spec(f: dataclasses.Field) -> FieldSpec:
    meta = f.metadata
    mf = meta["model"]._meta.get_field(f.name)
    kind = _kind(mf)
    default = None if f.default is MISSING else f.default
    return FieldSpec(
        name=f.name,
        label=meta["label"] or str(mf.verbose_name),
        kind=kind,
        required=f.default is MISSING,
        default=default,
        multiline=isinstance(mf, models.TextField),
        blank=mf.blank,
        choices=tuple((str(v), str(t)) for v, t in mf.choices or ()),
        max_length=getattr(mf, "max_length", None) if kind in ("text", "choice") else None,
        int_range=_int_range(mf, meta["min_value"], meta["max_value"])
        if kind in ("integer", "reference")
        else None,
        help=meta["help"],
        initial=default if meta["initial"] is MISSING else meta["initial"],
        rows=meta["rows"],
        hidden=meta["hidden"],
    )


@cache
def specs(input_class: type) -> tuple[FieldSpec, ...]:
    """The declared fields of ``RegistrationInput`` or ``PetitionerInput`` (nested lists excluded)."""
    return tuple(_spec(f) for f in dataclasses.fields(input_class) if "model" in f.metadata)


@cache
def labels() -> dict[str, str]:
    found = {s.name: s.label for cls in (RegistrationInput, PetitionerInput) for s in specs(cls)}
    return {**found, **EXTRA_LABELS}


def label(name: str) -> str:
    """The Chinese label of a registration field (the name itself when it is not one)."""
    return labels().get(name, name)


# --- Django form fields -------------------------------------------------------------------------


def _form_field(spec: FieldSpec) -> forms.Field:
    # Text and references are checked by validate_registration, whose messages ("标题不能为空",
    # "所选内容分类不存在") the page shows; the form only requires what has no empty value.
    required = not spec.blank and spec.kind in ("choice", "date", "integer")
    common: dict[str, Any] = {"label": spec.label, "required": required}
    if spec.initial not in (None, ""):
        common["initial"] = spec.initial
    if spec.kind == "text":
        widget = forms.Textarea(attrs={"rows": spec.rows}) if spec.rows else None
        return CleanCharField(max_length=spec.max_length, multiline=spec.multiline, widget=widget, **common)
    if spec.kind == "choice":
        blank = () if required else (("", "——"),)
        return forms.ChoiceField(choices=[*blank, *spec.choices], **common)
    if spec.kind == "reference" and not spec.hidden:
        return forms.ChoiceField(**common)  # choices are set by the form from the live tables
    if spec.kind == "boolean":
        return forms.BooleanField(**{**common, "required": False})
    if spec.kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    low, high = spec.int_range or (None, None)
    widget = forms.HiddenInput if spec.hidden else None
    return forms.IntegerField(min_value=low, max_value=high, widget=widget, **common)


def form_class(input_class: type, name: str) -> type[forms.Form]:
    """A plain Form with one generated field per declared field of ``input_class``."""
    return type(name, (forms.Form,), {spec.name: _form_field(spec) for spec in specs(input_class)})


def input_from(input_class: type, cleaned: dict[str, Any], **extra: Any) -> Any:
    """``input_class`` from a form's cleaned_data; an empty value becomes the declared default."""
    values = {}
    for spec in specs(input_class):
        value = cleaned.get(spec.name)
        if value is None or value == "":
            value = "" if spec.default is None and spec.kind == "text" else spec.default
        values[spec.name] = value
    return input_class(**values, **extra)


# --- API schema (pydantic) ----------------------------------------------------------------------


def _schema_type(spec: FieldSpec) -> Any:
    if spec.kind == "text":
        cleaned = AfterValidator(lambda v, m=spec.multiline: clean_text(v, multiline=m))
        return Annotated[str, StringConstraints(max_length=spec.max_length), cleaned]
    if spec.kind == "choice":
        values = tuple(v for v, _ in spec.choices) + (("",) if spec.blank else ())
        return Literal[values]
    if spec.kind in ("integer", "reference"):
        low, high = spec.int_range or (None, None)
        number = Annotated[int, SchemaField(ge=low, le=high)]
        return number if spec.required or spec.kind == "integer" else number | None
    return {"boolean": bool, "date": date}[spec.kind]


def schema_fields(input_class: type) -> dict[str, tuple[Any, Any]]:
    """``{name: (type, Field(...))}`` for ``pydantic.create_model``; JSON names are the field names."""
    out = {}
    for spec in specs(input_class):
        default = ... if spec.required else spec.default
        out[spec.name] = (_schema_type(spec), SchemaField(default, description=spec.help or spec.label))
    return out

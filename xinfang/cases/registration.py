"""The registration schema, declared once.

Each item names a field of the registration, its kind and, where the model has the field, takes the
Chinese label and the length limit from the model. From these two tables come the service's input
dataclasses (`RegistrationInput`, `PetitionerInput`), the page's forms (`cases/forms.py`) and the JSON
API's schemas (`cases/api.py`); `LABELS` is what every error message calls a field, pages and API alike.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, make_dataclass
from typing import Any, Literal

from django.db import models
from ninja import Field as ApiField
from ninja import Schema
from pydantic import create_model

from .choices import Channel, IdType, Nature, UpstreamLevel
from .models import Case, Petitioner

TYPES: dict[str, Any] = {
    "text": str, "textarea": str, "choice": str, "date": datetime.date, "int": int, "bool": bool,
    "ref": int,  # the primary key of a category, an organisation or an earlier case
}  # fmt: skip


@dataclass(frozen=True)
class Item:
    name: str
    kind: str  # text | textarea | choice | date | int | bool | ref
    model: type[models.Model] | None = None  # where the label and the length limit come from
    label: str = ""  # when the model has no such field, or names it differently for the public
    required: bool = False  # the API requires it (the service validates everything, pages included)
    default: Any = ""
    choices: type[models.TextChoices] | None = None
    help: str = ""

    @property
    def model_field(self) -> models.Field | None:
        if self.model is None:
            return None
        try:
            return self.model._meta.get_field(self.name)
        except Exception:  # noqa: BLE001  (FieldDoesNotExist: a field of the input only)
            return None

    @property
    def verbose(self) -> str:
        mf = self.model_field
        return self.label or (str(mf.verbose_name) if mf is not None else self.name)

    @property
    def max_length(self) -> int | None:
        mf = self.model_field
        return getattr(mf, "max_length", None) if self.kind in ("text", "textarea", "choice") else None


CASE_ITEMS: tuple[Item, ...] = (
    Item("channel", "choice", Case, required=True, choices=Channel),
    Item("title", "text", Case, required=True),
    Item("content", "textarea", Case, label="反映内容", required=True),
    Item("category", "ref", Case, label="内容分类", required=True, default=None, help="内容分类 ID"),
    Item("nature", "choice", Case, required=True, choices=Nature, default=Nature.APPEAL),
    Item("received_date", "date", Case, label="收到日期", required=True, default=None),
    Item("requests", "textarea", Case, label="诉求"),
    Item("upstream_ref", "text", Case),
    Item("upstream_level", "choice", Case, choices=UpstreamLevel),
    Item("accused_organisation", "ref", Case, label="被反映单位", default=None, help="组织 ID"),
    Item("place_organisation", "ref", Case, label="问题属地", default=None, help="组织 ID"),
    Item("place_address", "text", Case),
    Item("headcount", "int", Case, label="来访人数", default=1),
    Item("is_first", "bool", Case, label="初信初访", default=True),
    Item("is_level_skipping", "bool", Case, label="越级", default=False),
    Item("is_to_beijing", "bool", Case, label="进京", default=False),
    Item("is_major_urgent", "bool", Case, label="重大紧急", default=False),
    Item("is_confidential", "bool", Case, label="保密", default=False),
    Item("related_case", "ref", Case, label="关联信访件", default=None, help="在先信访件 ID"),
)
PETITIONER_ITEMS: tuple[Item, ...] = (
    Item("name", "text", Petitioner, required=True),
    Item("id_type", "choice", Petitioner, choices=IdType, default=IdType.RESIDENT_ID),
    Item("id_number", "text", Petitioner, label="身份证号码", help="居民身份证按 GB 11643 校验"),
    Item("phone", "text", Petitioner),
    Item("address", "text", Petitioner),
    Item("is_representative", "bool", label="代表", default=False),
)

# What every message calls a field (items, then the parts that are not items).
LABELS: dict[str, str] = {
    **{i.name: i.verbose for i in (*CASE_ITEMS, *PETITIONER_ITEMS)},
    "petitioners": "信访人",
    "attachments": "附件",
}


def _dataclass_fields(items: tuple[Item, ...]) -> list[tuple]:
    """(name, type[, dataclasses.field]) in the order a dataclass needs: the required ones first."""
    required = [(i.name, TYPES[i.kind] | None) for i in items if i.required]
    optional = [(i.name, TYPES[i.kind] | None, field(default=i.default)) for i in items if not i.required]
    return [*required, *optional]


PetitionerInput = make_dataclass("PetitionerInput", _dataclass_fields(PETITIONER_ITEMS))
RegistrationInput = make_dataclass(
    "RegistrationInput",
    [*_dataclass_fields(CASE_ITEMS), ("petitioners", list, field(default_factory=list))],
)
PetitionerInput.__module__ = RegistrationInput.__module__ = __name__
PetitionerInput.__doc__ = (
    "One petitioner as typed at registration (validated by `validation.validate_registration`)."
)
RegistrationInput.__doc__ = "A registration as typed on the page or sent to the API, before validation."


def api_schema(name: str, items: tuple[Item, ...], **extra: Any) -> type[Schema]:
    """A django-ninja schema: the same fields, with the model's length limits (422 on SQLite and PostgreSQL)."""
    fields: dict[str, Any] = {}
    for i in items:
        kind = i.choices if i.choices is not None else TYPES[i.kind]
        constraints = {"max_length": i.max_length} if i.max_length and i.choices is None else {}
        description = "，".join(filter(None, (i.verbose, i.help)))
        constraints["title"] = i.verbose
        if i.required:
            fields[i.name] = (kind, ApiField(..., description=description, **constraints))
        else:
            annotation = kind | None if i.default is None else kind | Literal[""] if i.default == "" else kind
            fields[i.name] = (annotation, ApiField(i.default, description=description, **constraints))
    return create_model(name, __base__=Schema, **fields, **extra)

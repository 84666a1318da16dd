"""Registration and list-filter forms. They parse input; the rules live in validation.py."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory

from xinfang.core import clock
from xinfang.orgs.models import Organisation, OrgKind

from .choices import Channel, Flag, Nature, Status
from .models import Category
from .registration import CASE_ITEMS, PETITIONER_ITEMS, Item, PetitionerInput, RegistrationInput
from .validation import FIELD_LABELS

__all__ = ["FIELD_LABELS", "RegistrationForm", "PetitionerForm", "PetitionerFormSet", "CaseFilterForm"]

REQUIRED = "请填写{label}"


def _org_choices(kinds: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    qs = Organisation.objects.filter(is_active=True).order_by("kind", "code")
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return [("", "—— 请选择 ——")] + [(str(o.pk), f"{o.name}") for o in qs]


def _category_choices() -> list[tuple[str, list[tuple[str, str]]] | tuple[str, str]]:
    tops = Category.objects.filter(parent__isnull=True, is_active=True).prefetch_related("children")
    choices: list = [("", "—— 请选择 ——")]
    for top in tops:
        choices.append((top.name, [(str(c.pk), c.name) for c in top.children.all() if c.is_active]))
    return choices


def _label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


class ChineseFormMixin:
    """Required-field messages that name the field."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._chinese_messages()

    def _chinese_messages(self) -> None:
        for name, fld in self.fields.items():
            fld.error_messages["required"] = REQUIRED.format(label=fld.label or _label(name))
            fld.error_messages["invalid"] = f"{fld.label or _label(name)}格式不正确"
            fld.error_messages["invalid_choice"] = f"{fld.label or _label(name)}取值无效"


# Widgets where the default does not fit (the fields themselves come from the registration schema).
WIDGETS = {
    "content": forms.Textarea(attrs={"rows": 6}),
    "requests": forms.Textarea(attrs={"rows": 2}),
    "related_case": forms.HiddenInput,
}


def form_field(item: Item) -> forms.Field:
    """A form field for a schema item. Choices and dates must parse; every other rule is the service's."""
    common = {"label": item.verbose, "required": item.required and item.kind in ("choice", "date")}
    if item.name in WIDGETS:
        common["widget"] = WIDGETS[item.name]
    if item.kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if item.kind == "int":
        return forms.IntegerField(min_value=1, initial=item.default, **{**common, "required": True})
    if item.kind == "bool":
        return forms.BooleanField(initial=item.default, **{**common, "required": False})
    if item.kind == "choice":
        empty = [] if common["required"] else [("", "——")]
        return forms.ChoiceField(
            choices=empty + list(item.choices.choices), initial=item.default or None, **common
        )
    if item.kind == "ref":
        if item.name == "related_case":
            return forms.IntegerField(**common)
        return forms.ChoiceField(**common)  # choices filled in by the form (they come from the database)
    return forms.CharField(max_length=item.max_length, **common)


def _value(item: Item, cleaned: dict):  # noqa: ANN202
    value = cleaned.get(item.name)
    if item.kind == "bool":
        return bool(value)
    return value if value not in (None, "") else item.default


class SchemaForm(ChineseFormMixin, forms.Form):
    """A form whose fields are the items of the registration schema."""

    items: tuple[Item, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for item in self.items:
            self.fields[item.name] = form_field(item)
        self._chinese_messages()

    def values(self) -> dict:
        return {item.name: _value(item, self.cleaned_data) for item in self.items}


class RegistrationForm(SchemaForm):
    items = CASE_ITEMS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(FORM_ORDER)
        self.fields["category"].choices = _category_choices()
        self.fields["accused_organisation"].choices = _org_choices()
        self.fields["place_organisation"].choices = _org_choices(
            (OrgKind.TOWN, OrgKind.VILLAGE, OrgKind.GRID, OrgKind.DEPARTMENT)
        )
        if not self.is_bound:
            self.initial.setdefault("received_date", clock.today())

    def to_input(self, petitioners: list[PetitionerInput]) -> RegistrationInput:
        return RegistrationInput(**self.values(), petitioners=petitioners)


# The order a registrar fills the page in (the schema's order is the API's).
FORM_ORDER = [
    "channel", "upstream_ref", "upstream_level", "received_date", "title", "content", "requests", "category",
    "nature", "accused_organisation", "place_organisation", "place_address", "headcount",
]  # fmt: skip


class PetitionerForm(SchemaForm):
    items = PETITIONER_ITEMS

    def to_input(self) -> PetitionerInput | None:
        values = self.values()
        if not any((values["name"], values["id_number"], values["phone"])):
            return None  # an untouched extra row
        values["id_number"] = (values["id_number"] or "").strip()
        values["phone"] = (values["phone"] or "").strip()
        return PetitionerInput(**values)


PetitionerFormSet = formset_factory(PetitionerForm, extra=1, max_num=50)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + list(Status.choices))
    unit = forms.ChoiceField(label="责任单位", required=False)
    channel = forms.ChoiceField(
        label="信访形式", required=False, choices=[("", "全部")] + list(Channel.choices)
    )
    category = forms.ChoiceField(label="内容分类", required=False)
    nature = forms.ChoiceField(
        label="信访目的", required=False, choices=[("", "全部")] + list(Nature.choices)
    )
    flag = forms.ChoiceField(label="标记", required=False, choices=[("", "全部")] + list(Flag.choices))
    date_from = forms.DateField(
        label="收到日期起", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label="收到日期止", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    overdue = forms.BooleanField(label="仅超期", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部")] + _org_choices((OrgKind.DEPARTMENT, OrgKind.TOWN))[1:]
        cats = [("", "全部")]
        for top in Category.objects.filter(parent__isnull=True).prefetch_related("children"):
            cats.append((str(top.pk), top.name))
            cats.extend((str(c.pk), f"　{c.name}") for c in top.children.all())
        self.fields["category"].choices = cats
        for fld in self.fields.values():
            fld.error_messages["invalid"] = f"{fld.label}格式不正确"
            fld.error_messages["invalid_choice"] = f"{fld.label}取值无效"

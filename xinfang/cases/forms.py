"""Registration and list-filter forms. They parse input; the rules live in validation.py."""

from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.forms import formset_factory

from xinfang.core import clock
from xinfang.core.forms import CleanCharField, QuickSelect
from xinfang.orgs.models import Organisation, OrgKind

from .choices import Channel, Flag, Nature, Status
from .models import Category
from .registration import PetitionerInput, RegistrationInput, form_class, input_from, label

__all__ = ["RegistrationForm", "PetitionerForm", "PetitionerFormSet", "CaseFilterForm"]

REQUIRED = "请填写{label}"


def _org_choices(kinds: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    qs = Organisation.objects.filter(is_active=True).order_by("kind", "code")
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return [("", "—— 请选择 ——")] + [(str(o.pk), f"{o.name}") for o in qs]


FILTER_CHOICES_KEY = "cases:list-filter-choices"


def filter_choices() -> tuple[list, list]:
    """The case list filter's unit and category choices. Every list page shows them (hundreds of units and
    categories), and they change rarely: kept in the cache for a minute, dropped in this process when an
    organisation or a category is saved (cases/signals.py)."""
    cached = cache.get(FILTER_CHOICES_KEY)
    if cached is None:
        units = [("", "全部")] + _org_choices((OrgKind.DEPARTMENT, OrgKind.TOWN))[1:]
        categories = [("", "全部")]
        for top in Category.objects.filter(parent__isnull=True).prefetch_related("children"):
            categories.append((str(top.pk), top.name))
            categories.extend((str(c.pk), f"　{c.name}") for c in top.children.all())
        cached = (units, categories)
        cache.set(FILTER_CHOICES_KEY, cached, 60)
    return cached


def _category_choices() -> list[tuple[str, list[tuple[str, str]]] | tuple[str, str]]:
    tops = Category.objects.filter(parent__isnull=True, is_active=True).prefetch_related("children")
    choices: list = [("", "—— 请选择 ——")]
    for top in tops:
        choices.append((top.name, [(str(c.pk), c.name) for c in top.children.all() if c.is_active]))
    return choices


class ChineseFormMixin:
    """Required-field messages that name the field."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, fld in self.fields.items():
            fld.error_messages["required"] = REQUIRED.format(label=fld.label or label(name))
            fld.error_messages["invalid"] = f"{fld.label or label(name)}格式不正确"
            fld.error_messages["invalid_choice"] = f"{fld.label or label(name)}取值无效"


class RegistrationForm(ChineseFormMixin, form_class(RegistrationInput, "RegistrationFields")):
    """Fields generated from RegistrationInput (registration.py); choices of references set here."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()
        self.fields["accused_organisation"].choices = _org_choices()
        self.fields["place_organisation"].choices = _org_choices(
            (OrgKind.TOWN, OrgKind.VILLAGE, OrgKind.GRID, OrgKind.DEPARTMENT)
        )
        if not self.is_bound:
            self.initial.setdefault("received_date", clock.today())

    def to_input(self, petitioners: list[PetitionerInput]) -> RegistrationInput:
        return input_from(RegistrationInput, self.cleaned_data, petitioners=petitioners)


class PetitionerForm(ChineseFormMixin, form_class(PetitionerInput, "PetitionerFields")):
    def to_input(self) -> PetitionerInput | None:
        d = self.cleaned_data
        if not any((d.get("name"), d.get("id_number"), d.get("phone"))):
            return None  # an untouched extra row
        return input_from(PetitionerInput, d)


PetitionerFormSet = formset_factory(PetitionerForm, extra=1, max_num=50)


class CaseFilterForm(forms.Form):
    q = CleanCharField(label="查找", required=False)
    todo = forms.BooleanField(label="只看待我办理", required=False)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部")] + list(Status.choices), widget=QuickSelect
    )
    unit = forms.ChoiceField(label="责任单位", required=False, widget=QuickSelect)
    channel = forms.ChoiceField(
        label="信访形式", required=False, choices=[("", "全部")] + list(Channel.choices), widget=QuickSelect
    )
    category = forms.ChoiceField(label="内容分类", required=False, widget=QuickSelect)
    nature = forms.ChoiceField(
        label="信访目的", required=False, choices=[("", "全部")] + list(Nature.choices), widget=QuickSelect
    )
    flag = forms.ChoiceField(
        label="标记", required=False, choices=[("", "全部")] + list(Flag.choices), widget=QuickSelect
    )
    date_from = forms.DateField(
        label="收到日期起", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label="收到日期止", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    overdue = forms.BooleanField(label="仅超期", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units, categories = filter_choices()
        self.fields["unit"].choices = units
        self.fields["category"].choices = categories
        for fld in self.fields.values():
            fld.error_messages["invalid"] = f"{fld.label}格式不正确"
            fld.error_messages["invalid_choice"] = f"{fld.label}取值无效"

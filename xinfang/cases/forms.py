"""Registration and list-filter forms. They parse input; the rules live in validation.py."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils import timezone

from xinfang.orgs.models import Organisation, OrgKind

from .choices import Channel, Flag, IdType, Nature, Status, UpstreamLevel
from .models import Category
from .validation import FIELD_LABELS, PetitionerInput, RegistrationInput

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
        for name, fld in self.fields.items():
            fld.error_messages["required"] = REQUIRED.format(label=fld.label or _label(name))
            fld.error_messages["invalid"] = f"{fld.label or _label(name)}格式不正确"
            fld.error_messages["invalid_choice"] = f"{fld.label or _label(name)}取值无效"


class RegistrationForm(ChineseFormMixin, forms.Form):
    channel = forms.ChoiceField(label="信访形式", choices=Channel.choices)
    upstream_ref = forms.CharField(label="上级交办编号", required=False, max_length=64)
    upstream_level = forms.ChoiceField(
        label="交办层级", required=False, choices=[("", "——")] + list(UpstreamLevel.choices)
    )
    received_date = forms.DateField(
        label="收到日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(label="标题", max_length=200, required=False)
    content = forms.CharField(label="反映内容", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    requests = forms.CharField(label="诉求", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    category = forms.ChoiceField(label="内容分类", required=False)
    nature = forms.ChoiceField(label="信访目的", choices=Nature.choices, initial=Nature.APPEAL)
    accused_organisation = forms.ChoiceField(label="被反映单位", required=False)
    place_organisation = forms.ChoiceField(label="问题属地", required=False)
    place_address = forms.CharField(label="问题发生地址", required=False, max_length=200)
    headcount = forms.IntegerField(label="来访人数", min_value=1, initial=1)
    is_first = forms.BooleanField(label="初信初访", required=False, initial=True)
    is_level_skipping = forms.BooleanField(label="越级", required=False)
    is_to_beijing = forms.BooleanField(label="进京", required=False)
    is_major_urgent = forms.BooleanField(label="重大紧急", required=False)
    is_confidential = forms.BooleanField(label="保密", required=False)
    related_case = forms.IntegerField(label="关联信访件", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices()
        self.fields["accused_organisation"].choices = _org_choices()
        self.fields["place_organisation"].choices = _org_choices(
            (OrgKind.TOWN, OrgKind.VILLAGE, OrgKind.GRID, OrgKind.DEPARTMENT)
        )
        if not self.is_bound:
            self.initial.setdefault("received_date", timezone.localdate())

    def to_input(self, petitioners: list[PetitionerInput]) -> RegistrationInput:
        d = self.cleaned_data
        return RegistrationInput(
            channel=d["channel"],
            upstream_ref=d.get("upstream_ref") or "",
            upstream_level=d.get("upstream_level") or "",
            received_date=d.get("received_date"),
            title=d.get("title") or "",
            content=d.get("content") or "",
            requests=d.get("requests") or "",
            category=d.get("category") or None,
            nature=d["nature"],
            accused_organisation=d.get("accused_organisation") or None,
            place_organisation=d.get("place_organisation") or None,
            place_address=d.get("place_address") or "",
            headcount=d.get("headcount") or 1,
            is_first=d.get("is_first", False),
            is_level_skipping=d.get("is_level_skipping", False),
            is_to_beijing=d.get("is_to_beijing", False),
            is_major_urgent=d.get("is_major_urgent", False),
            is_confidential=d.get("is_confidential", False),
            related_case=d.get("related_case"),
            petitioners=petitioners,
        )


class PetitionerForm(ChineseFormMixin, forms.Form):
    name = forms.CharField(label="姓名", max_length=50, required=False)
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices, initial=IdType.RESIDENT_ID)
    id_number = forms.CharField(label="身份证号码", max_length=32, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    address = forms.CharField(label="住址", max_length=200, required=False)
    is_representative = forms.BooleanField(label="代表", required=False)

    def to_input(self) -> PetitionerInput | None:
        d = self.cleaned_data
        if not any((d.get("name"), d.get("id_number"), d.get("phone"))):
            return None  # an untouched extra row
        return PetitionerInput(
            name=d.get("name") or "",
            id_type=d.get("id_type") or IdType.RESIDENT_ID,
            id_number=(d.get("id_number") or "").strip(),
            phone=(d.get("phone") or "").strip(),
            address=d.get("address") or "",
            is_representative=d.get("is_representative", False),
        )


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

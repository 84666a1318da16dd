"""Forms of the public pages (shape only: the rules live in public.py and the services)."""

from __future__ import annotations

from django import forms

from xinfang.cases.choices import Nature
from xinfang.cases.models import Category
from xinfang.orgs.models import Organisation, OrgKind

from .public import LIMITS

PUBLIC_NATURES = [("appeal", "申诉求决"), ("accusation", "检举控告"), ("suggestion", "建议意见")]
RESULT_CHOICES = [("satisfied", "满意"), ("basically_satisfied", "基本满意"), ("dissatisfied", "不满意")]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class SubmissionForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=LIMITS["name"])
    id_number = forms.CharField(label="身份证号码", max_length=18)
    phone = forms.CharField(label="手机号码", max_length=11)
    address = forms.CharField(label="住址", max_length=LIMITS["address"], required=False)
    title = forms.CharField(label="标题", max_length=LIMITS["title"])
    content = forms.CharField(label="反映内容", max_length=LIMITS["content"], widget=forms.Textarea)
    requests = forms.CharField(
        label="诉求", max_length=LIMITS["requests"], required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    nature = forms.ChoiceField(label="信访目的", choices=PUBLIC_NATURES, initial=Nature.APPEAL)
    accused_organisation = forms.ModelChoiceField(
        label="被反映单位（检举控告必填）",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="（不涉及）",
    )
    category = forms.ModelChoiceField(
        label="内容分类（可不选）",
        queryset=Category.objects.none(),
        required=False,
        empty_label="（由工作人员分类）",
    )
    # Honeypot: hidden from people by CSS, bots fill it in.
    website = forms.CharField(label="网址（请勿填写）", required=False)

    def __init__(self, *args, suggestion: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(
            parent__isnull=False, is_active=True
        ).order_by("code")
        units = Organisation.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWN]).order_by("code")
        self.fields["accused_organisation"].queryset = units
        if suggestion:
            for name in ("nature", "accused_organisation", "requests"):
                del self.fields[name]
            self.fields["content"].label = "建议内容"


class LookupForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=32)
    phone4 = forms.RegexField(label="手机号后四位", regex=r"^\d{4}$", max_length=4)


class EvaluationForm(LookupForm):
    stage = forms.ChoiceField(choices=[("acceptance", "受理环节"), ("result", "办理结果")])
    result = forms.ChoiceField(label="评价", choices=RESULT_CHOICES, widget=forms.RadioSelect)
    comment = forms.CharField(label="评价意见", max_length=2000, required=False, widget=forms.Textarea)


class ReviewForm(LookupForm):
    reason = forms.CharField(label="申请复查的理由", max_length=2000, widget=forms.Textarea)


class BookingForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=18)
    phone = forms.CharField(label="手机号码", max_length=11)
    matter = forms.CharField(
        label="反映事项（简要）", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Honeypot, as on the submission form.
    website = forms.CharField(label="网址（请勿填写）", required=False)

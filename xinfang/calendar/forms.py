from django import forms

MAX_UPLOAD_BYTES = 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV 文件", error_messages={"required": "请选择要导入的 CSV 文件"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件过大（最大 1 MB）")
        return upload


class MarkYearForm(forms.Form):
    """Mark or unmark a year's schedule as complete; the checkbox is the administrator's confirmation."""

    complete = forms.TypedChoiceField(
        label="操作",
        choices=[("1", "标记为已完整"), ("0", "撤销完整标记")],
        coerce=lambda v: v == "1",
        error_messages={"required": "请选择操作", "invalid_choice": "操作不正确"},
    )
    confirm = forms.BooleanField(
        label="我已核对",
        error_messages={"required": "请勾选确认后再提交"},
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

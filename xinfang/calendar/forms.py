from django import forms

MAX_UPLOAD_BYTES = 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV 文件", error_messages={"required": "请选择要导入的 CSV 文件"})
    complete = forms.BooleanField(
        label="文件为该年度完整的节假日安排（导入后该年份期限不再为暂定）", required=False
    )

    def clean_file(self):  # noqa: ANN201
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件过大（最大 1 MB）")
        return upload

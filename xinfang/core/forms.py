"""Form fields shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms

from .text import clean_text


class CleanCharField(forms.CharField):
    """A CharField whose value passes through ``clean_text`` (before Django's NUL check)."""

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return clean_text(value, multiline=self.multiline) if value else value

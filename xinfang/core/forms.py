"""Form fields shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .text import clean_text


class CleanCharField(forms.CharField):
    """A CharField whose value passes through ``clean_text`` (before Django's NUL check)."""

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return clean_text(value, multiline=self.multiline) if value else value


class QuickSelect(forms.Select):
    """A <select> whose options are joined in Python. Django renders every <option> through a template (about
    40 µs each); the case list's filter form has some 300 (units and categories), a third of the page's time.
    Flat choices only (no optgroups)."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) in chosen else ""}>{escape(label)}</option>'
            for v, label in self.choices
        )
        return mark_safe(f"<select{flatatt(final)}>{options}</select>")  # every part escaped above

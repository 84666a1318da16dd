"""Text normalisation at the edges (forms, API, imports, documents).

Text pasted from Word carries characters a database happily stores but python-docx/lxml refuse
(vertical tab for a manual line break, form feed for a page break, BEL in table cells, NUL), and a
broken client can send lone UTF-16 surrogates. Cleaning once where text enters keeps every stored
value printable; ``xml_safe`` is the last guard where text leaves for a .docx.
"""

from __future__ import annotations

import re
import unicodedata

_SURROGATE = re.compile("[\ud800-\udfff]")
# Line breaks in other spellings: CRLF, CR, VT (Word's manual break), FF (page break), NEL, LS, PS.
_NEWLINES = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 controls except TAB and LF, DEL, C1 controls.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile("[\t\n]+")
# What XML 1.0 forbids (python-docx/lxml raise on these): C0 except TAB/LF/CR, surrogates, U+FFFE/FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def drop_lone_surrogates(value: str) -> str:
    """Join surrogate pairs into their character and drop unpaired halves."""
    if not _SURROGATE.search(value):
        return value
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """NFC, ``\\n`` for every line break, no control characters or lone surrogates, stripped.

    With ``multiline=False`` (titles, names, one-line fields) line breaks and tabs become one space.
    """
    text = drop_lone_surrogates(value)
    text = _CONTROLS.sub("", _NEWLINES.sub("\n", text))
    text = unicodedata.normalize("NFC", text)
    if not multiline:
        text = _LINE_BREAK.sub(" ", text)
    return text.strip()


def xml_safe(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot hold (vertical tab and form feed become a newline)."""
    text = drop_lone_surrogates(value).replace("\x0b", "\n").replace("\x0c", "\n")
    return _XML_ILLEGAL.sub("", text)


def decode_csv(data: bytes) -> str | None:
    """A CSV file's text: UTF-8 (with or without BOM), else GB18030, which is what Excel saves on Chinese
    Windows; None when it is neither (each importer words its own refusal)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None

"""Text pipeline: normalisation and jieba segmentation with the petition-term user dictionary."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba

USER_DICT = Path(__file__).with_name("userdict.txt")
# The first characters of a letter stand in for its subject line (the data joins subject and body).
HEAD_CHARS = 40

_WS = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_PUNCT_ONLY = re.compile(r"^[\W_]+$")
_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), lower case, no whitespace."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def model_text(text: str) -> str:
    """What the features see: normalised, every number folded to 0 (amounts and dates do not generalise)."""
    return _DIGITS.sub("0", normalise(text))


_GREETING = re.compile(r"尊敬的|您好|你好|各位领导|领导好|本人|我是|我们是|我叫")
_CLAUSE_END = re.compile(r"[，。！？：,.!?:；;]")


def head(text: str) -> str:
    """The letter's subject line, guessed: board texts and pasted letters run subject and body together.

    The subject ends where a greeting starts, or where the body repeats the subject's first words, or at the
    first clause end; otherwise the first HEAD_CHARS characters stand in for it.
    """
    m = _GREETING.search(text[:80])
    if m and m.start() >= 6:
        return text[: m.start()]
    for k in range(8, min(80, len(text) - 6)):
        if text[k : k + 5] == text[:5]:
            return text[:k]
    m = _CLAUSE_END.search(text[:60])
    if m and m.start() >= 6:
        return text[: m.start()]
    return text[:HEAD_CHARS]


def tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            jieba.setLogLevel(60)
            tk = jieba.Tokenizer()
            tk.initialize()
            tk.load_userdict(str(USER_DICT))
            _tokenizer = tk
    return _tokenizer


@lru_cache(maxsize=8192)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(w for w in tokenizer().lcut(text) if w.strip() and not _PUNCT_ONLY.match(w))


def words(text: str) -> list[str]:
    """jieba words of already-normalised text, punctuation dropped."""
    return list(_cut(text))


def words_joined(text: str) -> str:
    return " ".join(_cut(text))


def split_words(doc: str) -> list[str]:
    """Tokenizer for the word vectoriser (documents arrive as space-joined words); module-level so it pickles."""
    return doc.split(" ") if doc else []

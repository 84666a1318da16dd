"""A cheap content similarity for the repeat hint at registration (the triage app has the real index)."""

from __future__ import annotations


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if not c.isspace()]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def text_similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams, in [0, 1]."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)

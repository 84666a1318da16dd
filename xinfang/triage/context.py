"""Ambiguous words read in context: a word that points to a category only in some company.

"出租" says 交通运输 in "出租车司机拒载" but nothing of the kind in "村干部私自出租集体土地". The model
learnt the word from letters about taxis; this table, checkable by a reader, says which context words a
label needs before the ambiguous word may count for it. Without them the suggestion loses the word's
weight (its probability is scaled down) and the word leaves its explanation.
"""

from __future__ import annotations

from dataclasses import replace

# ambiguous word -> {label: context words, one of which must appear in the letter for the word to count}
AMBIGUOUS: dict[str, dict[str, tuple[str, ...]]] = {
    "出租": {
        "交通运输": ("出租车", "的士", "司机", "乘客", "打车", "计价", "网约车", "拒载", "营运", "车辆")
    },
    "收费": {"交通运输": ("高速", "路桥", "停车", "公交", "客运", "车辆", "过路")},
    "运输": {"交通运输": ("车辆", "货车", "道路", "公路", "客运", "物流", "司机")},
}
OUT_OF_CONTEXT = 0.25  # what is left of a suggestion whose only evidence is a word out of context


def read_in_context(text: str, suggestions: list) -> list:
    """The suggestions with out-of-context words discounted, re-normalised and re-ranked."""
    changed = []
    for s in suggestions:
        stray = [w for w in s.words if _out_of_context(w, s.label, text)]
        if stray:
            s = replace(
                s, probability=s.probability * OUT_OF_CONTEXT, words=[w for w in s.words if w not in stray]
            )
        changed.append(s)
    total = sum(s.probability for s in changed) or 1.0
    return sorted(
        (replace(s, probability=s.probability / total) for s in changed), key=lambda s: -s.probability
    )


def _out_of_context(word: str, label: str, text: str) -> bool:
    cues = AMBIGUOUS.get(word, {}).get(label)
    return cues is not None and not any(c in text for c in cues)

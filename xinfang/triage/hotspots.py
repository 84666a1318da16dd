"""Hot spots: clusters of similar messages within a time window, ranked by size (distinct petitioners),
growth and engagement. Pure Python over records, so it runs on cases (daily job) and on CSV exports alike."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from . import text as tx

# Average-linkage cosine distance under which messages belong to one matter.
DISTANCE = 0.75
TITLE_REPEAT = 3  # the subject line names the matter: count it this many times
_PLACE = re.compile(
    r"([A-Z]\d*[市区县])|([\u4e00-\u9fa5A-Za-z0-9]{2,8}?(?:小区|花园|家园|公寓|大厦|广场|新城|之城|[苑园府湾庭]|街道|村|镇|路|街))"
)
_GENERIC_PLACES = {"小区", "该小区", "本小区", "我们小区", "这个小区", "马路", "道路", "公路", "农村", "家园"}


@dataclass
class Message:
    key: str
    title: str
    body: str
    at: datetime
    author: str = ""
    engagement: int = 0
    place: str = ""


@dataclass
class Spot:
    members: list[Message]
    keywords: list[str]
    places: list[str]
    size: int
    growth: float
    engagement: int
    score: float
    is_warning: bool = False
    warning_reason: str = ""
    title: str = field(default="")


def places_of(text: str) -> list[str]:
    found = []
    for m in _PLACE.finditer(text):
        p = m.group(0)
        if p not in _GENERIC_PLACES and not p.startswith(("在", "我", "的", "和", "是")):
            found.append(p)
    return found


def dedupe(messages: list[Message]) -> list[Message]:
    """One message per author and subject: repeated posts do not make a hot spot."""
    seen: set[tuple[str, str]] = set()
    out = []
    for m in sorted(messages, key=lambda m: m.at):
        k = (m.author, tx.normalise(m.title) or tx.normalise(m.body)[:40])
        if k not in seen:
            seen.add(k)
            out.append(m)
    return out


def _documents(messages: list[Message]) -> list[str]:
    docs = []
    for m in messages:
        title = tx.words_joined(tx.model_text(m.title))
        docs.append(
            " ".join([title] * TITLE_REPEAT + [tx.words_joined(tx.model_text(m.body)[:400]), m.place])
        )
    return docs


def cluster(
    messages: list[Message], distance: float = DISTANCE
) -> tuple[list[list[int]], np.ndarray, np.ndarray]:
    # In bulk, words in >30 % of messages say nothing about a matter; a small window keeps them all.
    max_df = 0.3 if len(messages) >= 200 else 1.0
    vec = TfidfVectorizer(
        tokenizer=tx.split_words, token_pattern=None, lowercase=False, sublinear_tf=True, max_df=max_df
    )
    x = vec.fit_transform(_documents(messages))
    dist = 1.0 - (x @ x.T).toarray().astype(np.float32)  # rows are L2-normalised: cosine distances
    np.clip(dist, 0.0, 2.0, out=dist)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=distance
    ).fit_predict(dist)
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    return list(groups.values()), x, vec.get_feature_names_out()


def find_hotspots(
    messages: list[Message],
    *,
    end: datetime | None = None,
    days: int | None = None,
    min_size: int = 3,
    warn_size: int = 10,
    warn_growth: float = 2.0,
    top: int = 10,
) -> list[Spot]:
    """Cluster the window's messages and rank clusters by distinct authors × growth × engagement."""
    msgs = dedupe(messages)
    if not msgs:
        return []
    if end is None:
        end = max(m.at for m in msgs)
    start = end - timedelta(days=days) if days else min((m.at for m in msgs), default=end)
    msgs = [m for m in msgs if start <= m.at <= end]
    if len(msgs) < 2:
        return []
    groups, x, vocab = cluster(msgs)
    mid = start + (end - start) / 2
    spots = []
    for idx in groups:
        members = [msgs[i] for i in idx]
        size = len({m.author or m.key for m in members})
        if size < min_size:
            continue
        recent = sum(1 for m in members if m.at >= mid)
        growth = recent / max(1, len(members) - recent)
        engagement = sum(m.engagement for m in members)
        score = size * (1 + 0.25 * math.log1p(engagement)) * (1 + 0.1 * min(growth, 5))
        centroid = np.asarray(x[idx].mean(axis=0)).ravel()
        keywords = [str(vocab[j]) for j in np.argsort(-centroid)[:12] if len(vocab[j]) >= 2][:6]
        place_counts = Counter(p for m in members for p in set(places_of(m.title + m.body) + [m.place]) if p)
        places = [p for p, c in place_counts.most_common(4) if c >= 2]
        spot = Spot(members, keywords, places, size, round(growth, 2), engagement, round(score, 2))
        spot.title = f"{'、'.join(places[:2]) or '多地'}：{'、'.join(keywords[:3])}"
        if size >= warn_size or (growth >= warn_growth and size >= min_size * 2):
            spot.is_warning = True
            spot.warning_reason = f"{size} 人反映" + (
                f"，后半段增长 {growth:.1f} 倍" if growth >= warn_growth else ""
            )
        spots.append(spot)
    spots.sort(key=lambda s: -s.score)
    return spots[:top]

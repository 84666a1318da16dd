"""Near-duplicate search: MinHash signatures of character 3-gram shingles with LSH banding.

Why MinHash LSH: a lookup is a fixed number of indexed equality probes (one per band) whatever the number of
cases, and the candidates are then checked on their 60-value signatures, so the cost grows with the number of
*similar* cases, not with the archive. A TF-IDF inverted index would need one row per shingle per case (~100×
the rows) and its common shingles have posting lists proportional to the archive. Paraphrases with few shared
phrases are left to the registrar (and to hot-spot clustering); this finds the same letter sent again, edited.

The same code serves the database index (CaseSignature/CaseBand rows) and the in-memory index of the benchmark.
"""

from __future__ import annotations

import numpy as np

from .text import model_text

NUM_PERM = 60
BANDS = 20
ROWS = NUM_PERM // BANDS
SHINGLE = 3
_rng = np.random.RandomState(20260523)
# Multiply-shift hashing (a odd, 64-bit wrap-around, top 32 bits): one multiply-add per value, vectorised.
_A = (_rng.randint(0, 1 << 62, size=NUM_PERM, dtype=np.int64).astype(np.uint64) << np.uint64(1)) | np.uint64(
    1
)
_B = _rng.randint(0, 1 << 62, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
_K = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)
_BAND_MUL = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D][:ROWS], dtype=np.uint64)
_MASK63 = np.uint64((1 << 63) - 1)
_EMPTY = np.uint32(0xFFFFFFFF)
MAX_VERIFY = 2000  # candidates checked on their full signatures per query


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(model_text(text).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def _gram_hashes(c: np.ndarray) -> np.ndarray:
    """Hash of every character 3-gram of a code-point array (short texts: the whole text is one shingle)."""
    if c.size < SHINGLE:
        c = np.concatenate([c, np.zeros(SHINGLE - c.size, dtype=np.uint64)]) if c.size else c
        if not c.size:
            return c
    n = c.size - SHINGLE + 1
    h = c[:n] * _K[0] + c[1 : n + 1] * _K[1] + c[2 : n + 2] * _K[2]
    return h ^ (h >> np.uint64(31))


def shingle_hashes(text: str) -> np.ndarray:
    return _gram_hashes(_codes(text))


def signature_of_hashes(h: np.ndarray) -> np.ndarray:
    if h.size == 0:
        return np.full(NUM_PERM, _EMPTY, dtype=np.uint32)
    return ((h[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)).min(axis=0).astype(np.uint32)


def signature(text: str) -> np.ndarray:
    return signature_of_hashes(shingle_hashes(text))


def signatures(texts: list[str], chunk: int = 2000) -> np.ndarray:
    """Signatures of many texts at once (same values as signature()); texts must have ≥ 3 characters."""
    out = np.empty((len(texts), NUM_PERM), dtype=np.uint32)
    for lo in range(0, len(texts), chunk):
        part = [model_text(t) for t in texts[lo : lo + chunk]]
        codes = np.frombuffer("".join(part).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        lens = np.fromiter((len(t) for t in part), dtype=np.int64, count=len(part))
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
        h = _gram_hashes(codes)
        # keep only 3-grams that start and end inside one text
        owner = np.repeat(np.arange(len(part)), lens)[: h.size]
        valid = np.arange(h.size) <= (starts + lens - SHINGLE)[owner]
        h, owner = h[valid], owner[valid]
        seg = np.concatenate([[0], np.flatnonzero(np.diff(owner)) + 1])
        v = (h[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)
        out[lo + owner[seg]] = np.minimum.reduceat(v, seg, axis=0).astype(np.uint32)
    return out


def band_keys(sig: np.ndarray) -> np.ndarray:
    """One signed 63-bit key per band (band number mixed in, so equal values in different bands differ)."""
    s = np.asarray(sig, dtype=np.uint64).reshape(-1, BANDS, ROWS)
    mixed = (s * _BAND_MUL).sum(axis=2) + np.arange(BANDS, dtype=np.uint64) * np.uint64(0x100000001B3)
    mixed ^= mixed >> np.uint64(29)
    mixed *= np.uint64(0xBF58476D1CE4E5B9)
    return (mixed & _MASK63).astype(np.int64).reshape(sig.shape[:-1] + (BANDS,))


def similarity(sig_a: np.ndarray, sig_b: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of shingle sets (share of equal signature values)."""
    return (np.asarray(sig_b) == np.asarray(sig_a)).mean(axis=-1)


class MemoryIndex:
    """Bulk in-memory LSH index (the benchmark; also usable for batch jobs)."""

    def __init__(self, signatures: np.ndarray) -> None:
        self.signatures = signatures
        keys = band_keys(signatures)  # (n, BANDS)
        self.order = [np.argsort(keys[:, b], kind="stable") for b in range(BANDS)]
        self.sorted_keys = [keys[o, b] for b, o in enumerate(self.order)]

    def query(self, sig: np.ndarray, k: int = 5, threshold: float = 0.2) -> list[tuple[int, float]]:
        keys = band_keys(sig)
        found = []
        for b in range(BANDS):
            lo = np.searchsorted(self.sorted_keys[b], keys[b], side="left")
            hi = np.searchsorted(self.sorted_keys[b], keys[b], side="right")
            if hi > lo:
                found.append(self.order[b][lo:hi])
        if not found:
            return []
        cand, hits = np.unique(np.concatenate(found), return_counts=True)
        if cand.size > MAX_VERIFY:  # more shared bands ⇒ more similar: verify only the likeliest
            keep = np.argpartition(-hits, MAX_VERIFY)[:MAX_VERIFY]
            cand = cand[keep]
        sims = similarity(sig, self.signatures[cand])
        keep = sims >= threshold
        cand, sims = cand[keep], sims[keep]
        top = np.argsort(-sims)[:k]
        return [(int(cand[i]), float(sims[i])) for i in top]


def shared_phrases(a: str, b: str, min_len: int = 4, limit: int = 8) -> list[str]:
    """Phrases (≥ min_len characters) the two texts share, longest first."""
    from difflib import SequenceMatcher

    sm = SequenceMatcher(None, a, b, autojunk=False)
    blocks = sorted((m for m in sm.get_matching_blocks() if m.size >= min_len), key=lambda m: -m.size)
    out: list[str] = []
    for m in blocks:
        phrase = a[m.a : m.a + m.size]
        if phrase.strip() and phrase not in out:
            out.append(phrase)
        if len(out) == limit:
            break
    return out


def highlight(text: str, phrases: list[str]) -> list[tuple[str, bool]]:
    """Split text into (segment, is_shared) pieces for the template to wrap shared ones in <mark>."""
    marks = [False] * len(text)
    for p in phrases:
        start = text.find(p)
        while start != -1:
            for i in range(start, start + len(p)):
                marks[i] = True
            start = text.find(p, start + len(p))
    out: list[tuple[str, bool]] = []
    for ch, m in zip(text, marks, strict=True):
        if out and out[-1][1] == m:
            out[-1] = (out[-1][0] + ch, m)
        else:
            out.append((ch, m))
    return out

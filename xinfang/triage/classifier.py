"""The category model: word and character n-gram TF-IDF (with the letter's head weighted apart) in an NB-SVM,
blended with a linear model on a pretrained sentence encoder's vectors where the NB-SVM is unsure.

Generic over its label set: the board-trained file is only the demo's starting point; `train_triage` refits it
from the bureau's recorded choices. Probabilities: the NB-SVM's scores through a softmax whose temperature is
fitted on out-of-fold scores, mixed in log space with the encoder model's probabilities at a weight fitted the
same way (so a bureau whose letters the encoder does not help gets a weight near 0). Explanations are the
input's own words with the largest contributions to the sparse scores; the encoder's share has no words.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from . import encoder
from . import text as tx

HEAD_WEIGHT = 1.5
SVM_C = 1.0
# NB-SVM (Wang & Manning 2012): one-vs-rest SVMs on features scaled by the naive-Bayes log-count ratio, weights
# interpolated towards their mean magnitude. Chosen by repeated stratified 5-fold CV on the board's train.csv.
NB_BETA = 0.25
NB_ALPHA = 1.0
# Logistic regression on the encoder's vectors: C = 10 scored 0.825 alone (C = 3: 0.820, 30: 0.820), 3 × 5-fold.
DENSE_C = 10.0
# Weight of the encoder model in the log-space mix, used when the data are too few to fit it (out-of-fold log
# loss on train.csv picks 0.4, which is also where CV accuracy peaks).
DEFAULT_BLEND = 0.4
BLEND_GRID = np.round(np.arange(0.0, 0.75, 0.05), 2)
# The encoder costs ~13–17 ms a letter, the sparse model ~1.5 ms. Where the sparse model's top probability reaches
# this, the mix is skipped: in 3 × 5-fold CV that is 89 % of letters (90 % of test.csv), and macro-F1 stays at
# 0.9025 against 0.9026 with the encoder always on and 0.8931 without it (`bench/triage_cv.py`).
CASCADE_CONFIDENCE = 0.7


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


@dataclass
class Suggestion:
    label: str
    probability: float
    words: list[str] = field(default_factory=list)


def _vectorisers() -> tuple[TfidfVectorizer, TfidfVectorizer, TfidfVectorizer]:
    chars = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2, dtype=np.float32
    )
    # Word unigrams: jieba bigrams scored lower in 5×5-fold CV on train.csv (macro-F1 0.8889 vs 0.8914) and
    # doubled the vocabulary.
    words = TfidfVectorizer(
        tokenizer=tx.split_words,
        token_pattern=None,
        lowercase=False,
        ngram_range=(1, 1),
        sublinear_tf=True,
        min_df=2,
        dtype=np.float32,
    )
    heads = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2, dtype=np.float32
    )
    return chars, words, heads


def _fit_nbsvm(x: sp.csr_matrix, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One-vs-rest NB-SVM folded into a plain linear scorer: score_k(x) = x · (r_k ∘ w_k) + b_k.

    r_k is the log ratio of the (smoothed, binarised) feature counts in class k vs the rest; w_k an SVM on the
    r_k-scaled features, interpolated as (1 − β)·mean|w_k| + β·w_k. Returns classes, coef and intercept.
    """
    classes = np.unique(y)
    present = x.copy()
    present.data[:] = 1.0
    coef = np.zeros((len(classes), x.shape[1]), dtype=np.float32)
    intercept = np.zeros(len(classes), dtype=np.float32)
    for k, c in enumerate(classes):
        pos = y == c
        p = NB_ALPHA + np.asarray(present[pos].sum(axis=0)).ravel()
        q = NB_ALPHA + np.asarray(present[~pos].sum(axis=0)).ravel()
        r = np.log((p / p.sum()) / (q / q.sum()))
        svm = LinearSVC(C=SVM_C, class_weight="balanced").fit(x @ sp.diags(r), pos.astype(int))
        w = svm.coef_.ravel()
        w = (1 - NB_BETA) * np.abs(w).mean() + NB_BETA * w
        coef[k] = r * w
        intercept[k] = NB_BETA * svm.intercept_[0]
    return classes, coef, intercept


def _fit_dense(emb: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression on encoder vectors, as a (classes × 512) scorer in np.unique(y) order."""
    lr = LogisticRegression(C=DENSE_C, max_iter=3000).fit(emb, y)
    coef, intercept = lr.coef_.astype(np.float32), lr.intercept_.astype(np.float32)
    if coef.shape[0] == 1:  # two classes: sklearn keeps one logit; the first class's is 0
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.array([0.0, intercept[0]], dtype=np.float32)
    return coef, intercept


def _dense_log_probs(coef: np.ndarray, intercept: np.ndarray, emb: np.ndarray) -> np.ndarray:
    return _log_softmax(emb @ coef.T + intercept)


def _nbsvm_scores(x: sp.csr_matrix, y: np.ndarray, x_out: sp.csr_matrix) -> np.ndarray:
    _, coef, intercept = _fit_nbsvm(x, y)
    return np.asarray(x_out @ coef.T) + intercept


def _calibration_folds(y: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """3 stratified folds for the out-of-fold fits, or none where a class is too small (or under 3 classes)."""
    counts = np.unique(y, return_counts=True)[1]
    n = int(min(3, counts.min()))
    if n < 2 or len(counts) < 3:
        return []
    return list(StratifiedKFold(n, shuffle=True, random_state=0).split(np.zeros(len(y)), y))


def _mean_log_loss(log_p: np.ndarray, truth: np.ndarray) -> float:
    return float(-log_p[np.arange(len(truth)), truth].mean())


def _fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """Softmax scale of the NB-SVM scores minimising out-of-fold log loss."""
    grid = np.geomspace(0.5, 30, 40)
    return float(min(grid, key=lambda scale: _mean_log_loss(_log_softmax(scores * scale), truth)))


def _fit_blend(sparse_lp: np.ndarray, dense_lp: np.ndarray, truth: np.ndarray) -> float:
    """Weight of the encoder model in the log-space mix minimising out-of-fold log loss."""

    def loss(a: float) -> float:
        return _mean_log_loss(_log_softmax((1 - a) * sparse_lp + a * dense_lp), truth)

    return float(min(BLEND_GRID, key=loss))


class TriageClassifier:
    def __init__(self) -> None:
        self.labels: list[str] = []
        self.temperature = 1.0
        self.blend = 0.0
        self.encoder_name: str | None = None
        self.dense_coef: np.ndarray | None = None
        self.dense_intercept: np.ndarray | None = None

    # --- features -------------------------------------------------------------------------------------------
    def _prepared(self, texts: list[str]) -> tuple[list[str], list[str], list[str]]:
        docs = [tx.model_text(t) for t in texts]
        return docs, [tx.words_joined(d) for d in docs], [tx.head(d) for d in docs]

    def _fit_features(self, texts: list[str]) -> sp.csr_matrix:
        self.chars, self.words, self.heads = _vectorisers()
        docs, wds, hds = self._prepared(texts)
        m = sp.hstack(
            [
                self.chars.fit_transform(docs),
                self.words.fit_transform(wds),
                HEAD_WEIGHT * self.heads.fit_transform(hds),
            ]
        ).tocsr()
        for v in (self.chars, self.words, self.heads):
            v.stop_words_ = None  # large and only needed for introspection
        return m

    @property
    def feature_names(self) -> np.ndarray:
        """Surface string of every feature (built on first use; not stored in the file)."""
        names = self.__dict__.get("_names")
        if names is None:
            parts = [self.chars.get_feature_names_out(), self.words.get_feature_names_out()]
            parts.append(self.heads.get_feature_names_out())
            names = np.array([n.replace(" ", "") for p in parts for n in p], dtype=object)
            self.__dict__["_names"] = names
        return names

    def __getstate__(self) -> dict:
        state = {k: v for k, v in self.__dict__.items() if k not in ("_names", "_coef_t", "_block_cache")}
        state["coef"] = self.coef.astype(
            np.float16
        )  # half precision is plenty for a linear scorer; keeps files small
        return state

    def __setstate__(self, state: dict) -> None:
        state["coef"] = np.asarray(state["coef"], dtype=np.float32)
        # Files written before the encoder existed are sparse-only models.
        for key, default in (
            ("blend", 0.0),
            ("encoder_name", None),
            ("dense_coef", None),
            ("dense_intercept", None),
        ):
            state.setdefault(key, default)
        self.__dict__.update(state)

    def features(self, texts: list[str]) -> sp.csr_matrix:
        docs, wds, hds = self._prepared(texts)
        return sp.hstack(
            [self.chars.transform(docs), self.words.transform(wds), HEAD_WEIGHT * self.heads.transform(hds)]
        ).tocsr()

    def _blocks(self) -> list[tuple[Callable, dict, np.ndarray, int, float]]:
        """Per vectoriser: analyser, vocabulary, idf, column offset, block weight (built once per process)."""
        blocks = self.__dict__.get("_block_cache")
        if blocks is None:
            blocks, offset = [], 0
            for vec, weight in ((self.chars, 1.0), (self.words, 1.0), (self.heads, HEAD_WEIGHT)):
                blocks.append((vec.build_analyzer(), vec.vocabulary_, vec.idf_, offset, weight))
                offset += len(vec.vocabulary_)
            self.__dict__["_block_cache"] = blocks
        return blocks

    def feature_row(self, text: str) -> sp.csr_matrix:
        """`features([text])` without sklearn's per-call validation: the same sublinear TF-IDF, L2 per block.

        A suggestion is one letter at a time, where that overhead is most of the latency budget.
        """
        doc = tx.model_text(text)
        indices: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for (analyse, vocab, idf, offset, weight), part in zip(
            self._blocks(), (doc, tx.words_joined(doc), tx.head(doc)), strict=True
        ):
            counts: dict[int, int] = {}
            for gram in analyse(part):
                j = vocab.get(gram)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            val = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * idf[idx]
            val *= weight / np.sqrt(val @ val)
            indices.append(idx + offset)
            values.append(val)
        width = self.coef.shape[1]
        if not indices:
            return sp.csr_matrix((1, width), dtype=np.float32)
        idx, val = np.concatenate(indices), np.concatenate(values).astype(np.float32)
        order = np.argsort(idx)
        return sp.csr_matrix((val[order], idx[order], [0, len(idx)]), shape=(1, width))

    # --- training -------------------------------------------------------------------------------------------
    def fit(
        self,
        texts: list[str],
        labels: list[str],
        calibrate: bool = True,
        dense: bool | None = None,
        embeddings: np.ndarray | None = None,
    ) -> TriageClassifier:
        """Fit on texts and labels; `dense` (default: whenever the encoder package is installed) adds the encoder.

        `embeddings` are the texts' encoder vectors where the caller has them already (cross-validation).
        """
        if len(set(labels)) < 2:
            raise ValueError("训练数据至少需要两个分类")
        texts, y = list(texts), np.asarray(labels)
        with_encoder = embeddings is not None or (encoder.available() if dense is None else dense)
        to_encode = texts if with_encoder and embeddings is None else []
        with encoder.BackgroundEncoding(to_encode) as pending:
            x = self._fit_features(texts)
            folds = _calibration_folds(y) if calibrate else []
            truth = (
                np.searchsorted(np.unique(y), np.concatenate([y[te] for _, te in folds])) if folds else None
            )
            sparse_oof = [_nbsvm_scores(x[tr], y[tr], x[te]) for tr, te in folds]
            classes, self.coef, self.intercept = _fit_nbsvm(x, y)
            emb = pending.result() if to_encode else embeddings
        self.labels = [str(c) for c in classes]
        self.temperature = _fit_temperature(np.vstack(sparse_oof), truth) if folds else 1.0
        self.blend, self.dense_coef, self.dense_intercept, self.encoder_name = 0.0, None, None, None
        if emb is None:
            return self
        if folds:
            sparse_lp = _log_softmax(np.vstack(sparse_oof) * self.temperature)
            dense_lp = np.vstack([_dense_log_probs(*_fit_dense(emb[tr], y[tr]), emb[te]) for tr, te in folds])
            self.blend = _fit_blend(sparse_lp, dense_lp, truth)
        else:
            self.blend = DEFAULT_BLEND
        if self.blend > 0:
            self.dense_coef, self.dense_intercept = _fit_dense(emb, y)
            self.encoder_name = encoder.NAME
        return self

    # --- prediction -------------------------------------------------------------------------------------------
    def scores(self, x: sp.csr_matrix) -> np.ndarray:
        coef_t = self.__dict__.get("_coef_t")
        if (
            coef_t is None or coef_t.shape[::-1] != self.coef.shape
        ):  # row-major copy: a per-call transpose is slow
            coef_t = self.__dict__["_coef_t"] = np.ascontiguousarray(self.coef.T)
        return np.asarray(x @ coef_t) + self.intercept

    @property
    def uses_encoder(self) -> bool:
        return self.blend > 0 and self.dense_coef is not None and encoder.available()

    def log_probabilities(self, texts: list[str], x: sp.csr_matrix) -> np.ndarray:
        """Log probabilities of texts (x: their sparse features): the NB-SVM's, mixed with the encoder model's
        for the letters where the NB-SVM's top probability is below CASCADE_CONFIDENCE."""
        log_p = _log_softmax(self.scores(x) * self.temperature)
        if not self.uses_encoder:
            return log_p
        unsure = np.flatnonzero(log_p.max(axis=1) < math.log(CASCADE_CONFIDENCE))
        if len(unsure):
            dense = _dense_log_probs(
                self.dense_coef, self.dense_intercept, encoder.encode([texts[i] for i in unsure])
            )
            log_p[unsure] = _log_softmax((1 - self.blend) * log_p[unsure] + self.blend * dense)
        return log_p

    def probabilities(self, texts: list[str], x: sp.csr_matrix) -> np.ndarray:
        return np.exp(self.log_probabilities(texts, x))

    def predict(self, texts: list[str]) -> list[str]:
        texts = list(texts)
        idx = self.log_probabilities(texts, self.features(texts)).argmax(axis=1)
        return [self.labels[i] for i in idx]

    def suggest(self, text: str, k: int = 3, n_words: int = 5) -> list[Suggestion]:
        """Top-k labels with probability and the input's words that pushed most towards each."""
        row = self.feature_row(text)
        probs = self.probabilities([text], row)[0]
        # The model's own segmentation (numbers folded to 0) is reused; a word counts as an explanation only if it
        # appears verbatim in the letter, so folded numbers never show.
        toks = tx.words(tx.model_text(text))
        norm = tx.normalise(text)
        pairs = {a + b for a, b in zip(toks, toks[1:], strict=False)}
        surface = {w for w in set(toks) | pairs if w in norm}  # the input's words and adjacent word pairs
        out = []
        for ci in np.argsort(-probs)[:k]:
            out.append(
                Suggestion(self.labels[ci], float(probs[ci]), self._explain(row, ci, surface, n_words))
            )
        return out

    def _explain(self, row: sp.csr_matrix, ci: int, surface: set[str], n: int) -> list[str]:
        values = row.data * self.coef[ci, row.indices]
        top = np.argsort(-values)[: 12 * n]
        names = self.feature_names
        contrib: dict[str, float] = {}
        for t in top:
            word = names[row.indices[t]]
            if (
                values[t] <= 0 or len(word) < 2 or word not in surface
            ):  # explanations are real strings of the input
                continue
            contrib[word] = contrib.get(word, 0.0) + float(values[t])
        ranked = sorted((w for w, c in contrib.items() if c > 0), key=lambda w: -contrib[w])
        chosen: list[str] = []
        for w in ranked:
            if any(w in c or c in w for c in chosen):
                continue
            chosen.append(w)
            if len(chosen) == n:
                break
        return chosen

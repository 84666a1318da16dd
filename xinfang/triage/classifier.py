"""The category model: word + character n-gram TF-IDF (with the letter's head weighted apart) and a linear SVM.

Generic over its label set: the board-trained file is only the demo's starting point; `train_triage` refits it
from the bureau's recorded choices. Probabilities are a softmax of the SVM scores with a temperature fitted by
cross-validation on the training data; explanations are the input's own words with the largest contributions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from . import text as tx

HEAD_WEIGHT = 1.0
SVM_C = 1.0


@dataclass
class Suggestion:
    label: str
    probability: float
    words: list[str] = field(default_factory=list)


def _vectorisers() -> tuple[TfidfVectorizer, TfidfVectorizer, TfidfVectorizer]:
    chars = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2, dtype=np.float32
    )
    words = TfidfVectorizer(
        tokenizer=tx.split_words,
        token_pattern=None,
        lowercase=False,
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=2,
        dtype=np.float32,
    )
    heads = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2, dtype=np.float32
    )
    return chars, words, heads


class TriageClassifier:
    def __init__(self) -> None:
        self.labels: list[str] = []
        self.temperature = 1.0

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
        state = {k: v for k, v in self.__dict__.items() if k != "_names"}
        state["coef"] = self.coef.astype(
            np.float16
        )  # half precision is plenty for a linear scorer; keeps files small
        return state

    def __setstate__(self, state: dict) -> None:
        state["coef"] = np.asarray(state["coef"], dtype=np.float32)
        self.__dict__.update(state)

    def features(self, texts: list[str]) -> sp.csr_matrix:
        docs, wds, hds = self._prepared(texts)
        return sp.hstack(
            [self.chars.transform(docs), self.words.transform(wds), HEAD_WEIGHT * self.heads.transform(hds)]
        ).tocsr()

    # --- training -------------------------------------------------------------------------------------------
    def fit(self, texts: list[str], labels: list[str], calibrate: bool = True) -> TriageClassifier:
        if len(set(labels)) < 2:
            raise ValueError("训练数据至少需要两个分类")
        x = self._fit_features(list(texts))
        y = np.asarray(labels)
        self.temperature = self._fit_temperature(x, y) if calibrate else 1.0
        svm = LinearSVC(C=SVM_C, class_weight="balanced").fit(x, y)
        self.labels = [str(c) for c in svm.classes_]
        self.coef = svm.coef_.astype(np.float32)
        self.intercept = svm.intercept_.astype(np.float32)
        if len(self.labels) == 2:  # binary SVM: one row; make it two, symmetric
            self.coef = np.vstack([-self.coef, self.coef])
            self.intercept = np.concatenate([-self.intercept, self.intercept])
        return self

    @staticmethod
    def _fit_temperature(x: sp.csr_matrix, y: np.ndarray) -> float:
        """Softmax scale minimising out-of-fold log loss (3 folds; features fixed, only the SVM refits)."""
        counts = np.unique(y, return_counts=True)[1]
        folds = int(min(3, counts.min()))
        if folds < 2 or len(counts) < 3:
            return 1.0
        scores, truth = [], []
        for tr, te in StratifiedKFold(folds, shuffle=True, random_state=0).split(x, y):
            svm = LinearSVC(C=SVM_C, class_weight="balanced").fit(x[tr], y[tr])
            scores.append(svm.decision_function(x[te]))
            truth.append(np.searchsorted(svm.classes_, y[te]))
        s, t = np.vstack(scores), np.concatenate(truth)
        best, best_loss = 1.0, math.inf
        for scale in np.geomspace(0.5, 30, 40):
            z = s * scale
            z -= z.max(axis=1, keepdims=True)
            loss = -(z[np.arange(len(t)), t] - np.log(np.exp(z).sum(axis=1))).mean()
            if loss < best_loss:
                best, best_loss = float(scale), loss
        return best

    # --- prediction -----------------------------------------------------------------------------------------
    def scores(self, x: sp.csr_matrix) -> np.ndarray:
        return np.asarray(x @ self.coef.T) + self.intercept

    def probabilities(self, x: sp.csr_matrix) -> np.ndarray:
        z = self.scores(x) * self.temperature
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, texts: list[str]) -> list[str]:
        idx = self.scores(self.features(list(texts))).argmax(axis=1)
        return [self.labels[i] for i in idx]

    def suggest(self, text: str, k: int = 3, n_words: int = 5) -> list[Suggestion]:
        """Top-k labels with probability and the input's words that pushed most towards each."""
        x = self.features([text])
        probs = self.probabilities(x)[0]
        toks = tx.words(tx.normalise(text))
        norm = tx.normalise(text)
        pairs = {a + b for a, b in zip(toks, toks[1:], strict=False)}
        surface = {w for w in set(toks) | pairs if w in norm}  # the input's words and adjacent word pairs
        row = x.getrow(0)
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

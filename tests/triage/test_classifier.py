"""The category model: explanations, label genericity, the shipped file."""

import pytest

from xinfang.triage import store, text
from xinfang.triage.classifier import TriageClassifier

from .conftest import NOISE, WAGES


def _small_model() -> TriageClassifier:
    return TriageClassifier().fit(NOISE * 2 + WAGES * 2, ["噪声"] * 12 + ["欠薪"] * 12)


def test_explanations_are_real_strings_of_the_input():
    model = _small_model()
    letter = "我们小区对面的工地每天夜间施工，噪声扰民，孩子无法学习"
    top = model.suggest(letter)[0]
    assert top.label == "噪声"
    assert top.words, "the top suggestion must name the words that drove it"
    tokens = text.words(text.normalise(letter))
    for w in top.words:
        assert w in text.normalise(letter)
        assert w in tokens or any(a + b == w for a, b in zip(tokens, tokens[1:]))


def test_probabilities_sum_to_one_and_rank_labels():
    model = _small_model()
    sugg = model.suggest("老板拖欠工资两个月")
    assert [s.label for s in sugg] == ["欠薪", "噪声"]
    assert sum(s.probability for s in sugg) == pytest.approx(1.0, abs=1e-5)
    assert sugg[0].probability > sugg[1].probability


def test_training_needs_two_labels():
    with pytest.raises(ValueError):
        TriageClassifier().fit(NOISE, ["噪声"] * len(NOISE))


def test_user_dictionary_keeps_petition_terms_whole():
    assert "拖欠工资" in text.words("公司拖欠工资")
    assert "征地拆迁" in text.words("关于征地拆迁补偿的问题")


def test_shipped_model_loads_offline_and_predicts(monkeypatch, data_dir):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the model must load without network access")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    store.clear_cache()
    model = store.load(store.SHIPPED_MODEL)
    meta = store.shipped_meta()
    assert set(model.labels) == set(meta["labels"])
    # The figures stored beside the model are the model's own: re-scoring the test file reproduces them.
    from xinfang.triage.data import load_labelled
    from xinfang.triage.evaluation import score

    texts, labels = load_labelled(data_dir / meta["evaluation"]["on"])
    again = score(labels, model.predict(texts))
    assert again.macro_f1 == pytest.approx(meta["evaluation"]["macro_f1"], abs=1e-9)
    assert again.macro_f1 > 0.9
    assert store.SHIPPED_MODEL.stat().st_size < 5 * 1024 * 1024
    assert model.predict(["公司拖欠我们农民工工资半年了，请劳动监察帮忙讨薪"]) == ["劳动和社会保障"]


def test_save_and_load_round_trip(tmp_path):
    model = _small_model()
    path = tmp_path / "m.joblib"
    store.save(model, path)
    loaded = store.load(path)
    assert loaded.predict(NOISE[:2] + WAGES[:2]) == model.predict(NOISE[:2] + WAGES[:2])


@pytest.mark.parametrize(
    ("letter", "subject"),
    [
        ("小区噪声扰民尊敬的领导：楼下工地夜间施工", "小区噪声扰民"),
        ("幸福小区工地夜间施工幸福小区工地每天夜里打桩", "幸福小区工地夜间施工"),
        ("关于养老保险的几点疑惑，本单位职工", "关于养老保险的几点疑惑"),
    ],
)
def test_subject_line_is_recovered_from_joined_text(letter, subject):
    assert text.head(letter) == subject


@pytest.mark.parametrize(
    "letter",
    [
        "我们小区对面的工地每天夜间施工，噪声扰民",
        "２０２４年３月老板拖欠工资１２０００元，至今未付！",  # full-width digits fold like the batch path
        "",
        "ＸＹＺ完全没见过的字串",
    ],
)
def test_single_letter_fast_path_matches_the_batch_features(letter):
    model = _small_model()
    fast = model.feature_row(letter).toarray()
    batch = model.features([letter]).toarray()
    assert fast.shape == batch.shape
    assert fast == pytest.approx(batch, abs=1e-6)

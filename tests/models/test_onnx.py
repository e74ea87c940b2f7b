"""The ONNX encoders against the torch reference: same vectors (fp32), close vectors (int8), same contract."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from assistant.config import Settings
from assistant.models import onnx
from assistant.models.base import Backend, model_id

TEXTS = [
    "query: 我们所里有30名工会会员，必须单独建会吗",
    "query: 派遣工工资总额20万，经费多少？",
    "passage: 《中华人民共和国工会法》第十一条：用人单位有会员二十五人以上的，应当建立基层工会委员会。",
    "query: How do platform workers such as delivery riders join a trade union?",
    "query: ＡＢＣ１２３（全角）：；！？工会经费 👍",
    "query: 加如公会要交多少钱",
    "passage: " + "基层工会委员会每届任期三年至五年。" * 40,  # past the 512-token window: truncated like torch
]


def test_backend_names_fail_loudly() -> None:
    assert Settings(backend="onnx").backend is Backend.ONNX
    with pytest.raises(ValidationError):
        Settings(backend="onnx-int4")


def test_each_backend_has_its_own_model_id() -> None:
    ids = {model_id("m", b) for b in Backend}
    assert len(ids) == 3 and model_id("m", Backend.TORCH) == "m"


def test_only_mean_pooling_is_exported() -> None:
    Transformer = type("Transformer", (), {})
    Pooling = type("Pooling", (), {"pooling_mode": "cls"})
    with pytest.raises(onnx.OnnxUnavailable, match="ASSISTANT_BACKEND=torch"):
        onnx._modules([Transformer(), Pooling()])


def test_fingerprint_follows_the_source_files(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "onnx").mkdir()
    (tmp_path / "onnx" / "model.onnx").write_text("x")  # an export inside the folder is not its source
    before = onnx.fingerprint(str(tmp_path))
    assert [f[0] for f in before["files"]] == ["config.json"]
    copy = tmp_path.parent / (tmp_path.name + "-copy")
    shutil.copytree(tmp_path, copy)
    os.utime(copy / "config.json", ns=(1, 1))
    assert onnx.fingerprint(str(copy)) == before  # a copied or linked folder is the same source
    (tmp_path / "config.json").write_text('{"hidden_size": 2}')
    assert onnx.fingerprint(str(tmp_path)) != before
    assert not onnx.is_exported(tmp_path / "nowhere", str(tmp_path))


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(Settings().model_dir / "multilingual-e5-small"), device="cpu")
    return np.asarray(model.encode(TEXTS, normalize_embeddings=True), dtype=np.float32)


def _export() -> Path:
    from assistant.index.embed import onnx_dir

    settings = Settings()
    source = str(settings.model_dir / "multilingual-e5-small")
    return onnx.export(source, onnx_dir(settings, source))  # built by `make index`; a no-op here


@pytest.mark.integration
@pytest.mark.parametrize(("backend", "floor"), [(Backend.ONNX, 0.9999), (Backend.ONNX_INT8, 0.99)])
def test_onnx_agrees_with_torch(reference: np.ndarray, backend: Backend, floor: float) -> None:
    encoder = onnx.OnnxEncoder(_export(), backend, threads=1)
    got = encoder.encode(TEXTS, batch_size=3, normalize_embeddings=True)
    assert got.shape == reference.shape and got.dtype == np.float32
    cos = (got * reference).sum(1)
    assert cos.min() >= floor, cos
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    alone = np.stack([encoder.encode([t])[0] for t in TEXTS])
    if backend is Backend.ONNX:  # batching and length-sorting do not change a row
        np.testing.assert_allclose(alone, got, atol=1e-5)
    else:  # dynamic int8 scales activations over the whole batch: a row moves with its batch-mates, a little
        assert (alone * got).sum(1).min() >= floor
    assert encoder.encode([]).shape == (0, 384)


@pytest.mark.integration
def test_not_an_export_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(onnx.OnnxUnavailable, match="not an ONNX export"):
        onnx.OnnxEncoder(tmp_path, Backend.ONNX_INT8, threads=1)

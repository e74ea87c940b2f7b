"""A sentence-transformers folder exported to ONNX (fp32 and int8), and the encoder that runs it on onnxruntime.

sentence-transformers' own `backend="onnx"` loads through optimum-onnx, whose newest release (0.1.0) requires
transformers < 4.58 while sentence-transformers 6 needs transformers 5; so the export is done here with the same
tools that route uses underneath: `torch.onnx.export`, onnxruntime's transformer optimiser (fused attention,
LayerNorm and GELU) and onnxruntime's dynamic int8 quantiser (per-channel weights). The encoder reproduces the
folder's Transformer → mean Pooling → Normalize modules; `export` refuses a folder with any other pooling.

Layout of an export folder: model.onnx (fp32, optimised), model_qint8.onnx, tokenizer.json, export.json
(what it was made from: the source folder's files, the library versions). Built beside, then renamed.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from assistant.models.base import Backend, normalise, swap_in

MARKER = "export.json"
FILES = {Backend.ONNX: "model.onnx", Backend.ONNX_INT8: "model_qint8.onnx"}
_VERSIONS = ("torch", "onnxruntime", "onnx", "sentence-transformers", "transformers")


class OnnxUnavailable(RuntimeError):
    """The model cannot be exported to, or loaded from, ONNX (the message says why and what to set instead)."""


def fingerprint(source: str) -> dict[str, Any]:
    """What an export was made from, by content, so a copied or linked model folder still matches: each file's
    name, size and a digest (of the whole file up to 1 MB, else of its first and last MB: cheap enough to check on
    every load; a re-conversion changes the weights' bytes), or the model's name, and the exporting libraries'
    versions."""
    path = Path(source)
    files = (
        sorted(
            [str(p.relative_to(path)), p.stat().st_size, _digest(p)]
            for p in path.rglob("*")
            if p.is_file() and "onnx" not in p.relative_to(path).parts
        )
        if path.is_dir()
        else []
    )
    versions = {name: importlib.metadata.version(name) for name in _VERSIONS}
    return {"source": "" if path.is_dir() else source, "files": files, "versions": versions}


def _digest(path: Path, edge: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        h.update(f.read(edge))
        if path.stat().st_size > 2 * edge:
            f.seek(-edge, 2)
        h.update(f.read())
    return h.hexdigest()[:16]


def is_exported(dest: Path, source: str) -> bool:
    try:
        meta = json.loads((dest / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and meta.get("made_from") == fingerprint(source)


def export(source: str, dest: Path) -> Path:
    """Export the sentence-transformers model at `source` (a folder, or a name already in the local cache) to
    `dest`; skip when `dest` is an export of it by the installed libraries. Needs torch (the fallback backend)."""
    if is_exported(dest, source):
        return dest
    root = logging.getLogger()
    level = root.level
    # the exporter's and the quantiser's advice (opset notes, "consider pre-processing") is for model authors
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        root.setLevel(logging.ERROR)
        try:
            return _build(source, dest)
        finally:
            root.setLevel(level)


def _build(source: str, dest: Path) -> Path:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model
    from sentence_transformers import SentenceTransformer

    try:
        st = SentenceTransformer(source, device="cpu", local_files_only=True)
    except Exception as exc:  # the library raises many kinds; one clear line for the user
        raise OnnxUnavailable(f"cannot load {source!r} to export it: {exc}") from exc
    meta = _modules(st)
    transformer: Any = st[0]  # the Transformer module (typed by torch as Module | Tensor)
    hf = transformer.auto_model.eval()
    # Eager attention exports as plain MatMul/Softmax, which the optimiser fuses into one Attention op;
    # the SDPA graph it does not recognise (measured: int8 5.4 ms vs 8.9 ms a question on two threads).
    if hasattr(hf, "set_attn_implementation"):
        hf.set_attn_implementation("eager")

    class Hidden(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent))
    try:
        raw = tmp / "raw.onnx"
        ids = torch.tensor([[0, 6, 100, 2]])
        axes = {0: "batch", 1: "tokens"}
        with torch.no_grad():
            torch.onnx.export(
                Hidden(hf), (ids, torch.ones_like(ids)), str(raw),
                input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
                opset_version=17, dynamo=False,
            )
        cfg = hf.config
        heads, hidden = getattr(cfg, "num_attention_heads", 0), getattr(cfg, "hidden_size", 0)
        optimize_model(str(raw), model_type="bert", num_heads=heads, hidden_size=hidden).save_model_to_file(
            str(tmp / FILES[Backend.ONNX])
        )
        raw.unlink()
        quantize_dynamic(
            tmp / FILES[Backend.ONNX], tmp / FILES[Backend.ONNX_INT8], weight_type=QuantType.QInt8,
            per_channel=True,  # per-tensor scales cost accuracy: cosine to torch 0.9906 vs 0.9960 per channel
            extra_options={"DefaultTensorType": 1},  # fused ops carry no inferred type: float
        )
        transformer.tokenizer.backend_tokenizer.save(str(tmp / "tokenizer.json"))
        meta |= {"max_length": int(st.max_seq_length or 512), "pad_id": int(transformer.tokenizer.pad_token_id or 0)}
        meta["made_from"] = fingerprint(source)
        (tmp / MARKER).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.chmod(0o755)  # mkdtemp makes it private
        swap_in(tmp, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _modules(st: Any) -> dict[str, Any]:
    """The pipeline after the transformer, as data; only mean pooling (with or without Normalize) is reproduced."""
    names = [type(m).__name__ for m in st]
    pooling = st[1] if len(names) > 1 and names[1] == "Pooling" else None
    mode = getattr(pooling, "pooling_mode", None)
    if mode is None and pooling is not None:
        mode = pooling.get_config_dict().get("pooling_mode")
    if names[0] != "Transformer" or mode != "mean" or any(n not in ("Normalize",) for n in names[2:]):
        raise OnnxUnavailable(
            f"the ONNX backend reproduces Transformer → mean Pooling → Normalize, not {' → '.join(names)} "
            f"(pooling {mode!r}); set ASSISTANT_BACKEND=torch for this model"
        )
    return {"dim": int(st.get_embedding_dimension()), "normalize": "Normalize" in names}


class OnnxEncoder:
    """Runs an export on onnxruntime's CPU provider with the `encode` signature of SentenceTransformer."""

    def __init__(self, folder: Path, backend: Backend, threads: int) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if backend not in FILES:
            raise ValueError(f"{backend} is not an ONNX backend")
        try:
            self.meta = json.loads((folder / MARKER).read_text(encoding="utf-8"))
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as exc:  # OSError, bad JSON, or the tokenizers library's own exception type
            raise OnnxUnavailable(f"{folder} is not an ONNX export: {exc}") from exc
        self.tokenizer.enable_truncation(self.meta["max_length"])
        self.tokenizer.enable_padding(pad_id=self.meta["pad_id"])
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # the optimiser's notes on already-fused graphs are not the user's business
        self.session = ort.InferenceSession(str(folder / FILES[backend]), options, providers=["CPUExecutionProvider"])
        self.backend = backend

    def get_embedding_dimension(self) -> int:
        return int(self.meta["dim"])

    def encode(
        self,
        sentences: list[str],
        /,
        *,
        batch_size: int = 32,
        normalize_embeddings: bool = False,
        convert_to_numpy: bool = True,
        show_progress_bar: bool = False,
    ) -> np.ndarray:
        """One row per sentence, in the given order; batches are formed by length so padding stays short."""
        out = np.zeros((len(sentences), self.get_embedding_dimension()), dtype=np.float32)
        order = sorted(range(len(sentences)), key=lambda i: -len(sentences[i]))
        for start in range(0, len(order), max(1, batch_size)):
            rows = order[start : start + batch_size]
            enc = self.tokenizer.encode_batch([sentences[i] for i in rows])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            weights = mask[:, :, None].astype(np.float32)
            out[rows] = (hidden * weights).sum(1) / np.maximum(weights.sum(1), 1e-9)
        if normalize_embeddings or self.meta.get("normalize"):
            out = normalise(out)
        return out

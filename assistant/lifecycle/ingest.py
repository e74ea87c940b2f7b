"""Add a source file (.md, .txt, .docx) to the corpus: validate, parse into clauses, register atomically."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import tempfile
import tomllib
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from assistant.clauses.guidance import SECTION, parse_guidance
from assistant.clauses.law import ARTICLE, DIVISION, parse_law
from assistant.clauses.store import ClauseStore
from assistant.corpus.base import (
    CorpusError,
    Document,
    QuotedSource,
    Tier,
    load_documents,
    load_registry,
    parse_front_matter,
)
from assistant.text.numerals import cn_to_int

SUPPORTED = (".md", ".txt", ".docx")
MAX_BYTES = 5_000_000
FRONT_KEYS = ("title", "issuer", "version", "source", "completeness")
PARSERS = ("law", "guidance")

_DOC_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_MD_HEADING = re.compile(r"^(#{1,6})\s")
_DATE_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _front_matter(text: str, name: str, flags: dict[str, str | None]) -> tuple[dict[str, str], str]:
    """The file's front matter with the given flags over it, defaults for source/completeness, one line each."""
    meta, body = parse_front_matter(text, name, required=False)
    for key, value in flags.items():
        if value is not None:
            meta[key] = value
    meta.setdefault("source", f"ingested from {name}")
    meta.setdefault("completeness", f"as given in {name}; completeness not stated")
    missing = [k for k in FRONT_KEYS if not meta.get(k, "").strip()]
    if missing:
        flags_hint = " ".join(f"--{k}" for k in missing)
        raise CorpusError(f"{name}: missing {', '.join(missing)} (give {flags_hint} or a front-matter line)")
    for key, value in meta.items():
        meta[key] = _one_line(f"{name}: front matter {key!r}", value)
    return meta, body


def _normalised(kind: str, meta: dict[str, str], body: str, name: str) -> tuple[str, str]:
    """(body, file content) in the layout the parser reads; refused unless it survives a round trip."""
    if kind not in PARSERS:
        raise CorpusError(f"{name}: unknown parser {kind!r} (law, guidance)")
    body = _as_statute(body, name, meta["title"]) if kind == "law" else _as_outline(body, meta["title"], name)
    body = "\n" + body.strip("\n") + "\n"
    content = _render(meta, body)
    meta_check, body_check = parse_front_matter(content, name)  # what load_documents will read
    if body_check != body or any(meta_check[k] != meta[k] for k in FRONT_KEYS):
        raise CorpusError(f"{name}: front matter does not survive a round trip")
    return body, content


def ingest(
    path: Path,
    corpus_dir: Path,
    *,
    title: str | None = None,
    issuer: str | None = None,
    version: str | None = None,
    tier: str | Tier | None = None,
    doc_id: str | None = None,
    source: str | None = None,
    completeness: str | None = None,
    short: str | None = None,
    version_date: str | None = None,
    names: Sequence[str] = (),
    parser: str | None = None,
    dry_run: bool = False,
) -> Document:
    """Add `path` to `corpus_dir` (sources/ + a `[[document]]` table in sources.toml) and return it as loaded.

    Keyword values fill in or override the file's front matter. The parser is `law` when the text has
    statute articles (第N条), `guidance` when it is a （一）→ 1. → (1) outline; anything else is refused.
    Raises `CorpusError` (one readable line) for malformed or duplicate input; then nothing is written.
    With `dry_run` everything is checked and nothing is written.
    """
    path = Path(path)
    corpus_dir = Path(corpus_dir)
    raw, text = _read(path)
    flags = {"title": title, "issuer": issuer, "version": version, "source": source, "completeness": completeness}
    meta, body = _front_matter(text, path.name, flags)

    tier_value = _tier(tier or meta.get("tier"), path.name)
    did = _one_line(f"{path.name}: doc id", doc_id or meta.get("id") or "")
    if not _DOC_ID.match(did):
        raise CorpusError(
            f"{path.name}: doc id {did!r} must be lower-case letters, digits and '-' (e.g. labor-law-2018)"
        )
    vdate = _version_date(version_date if version_date is not None else meta.get("version_date"), meta["version"])
    short_name = _one_line(f"{path.name}: short", short or meta.get("short") or _short(meta["title"]))
    alias = tuple(_one_line(f"{path.name}: name", n) for n in names if n.strip())

    kind = parser or _detect_parser(body, path.name)
    body, content = _normalised(kind, meta, body, path.name)

    dest_name = f"{Path(path.name).stem}.md"
    rel = f"sources/{dest_name}"
    dest = corpus_dir / rel
    doc = Document(
        id=did,
        title=meta["title"],
        short=short_name,
        tier=tier_value,
        issuer=meta["issuer"],
        version=meta["version"],
        version_date=vdate,
        source=meta["source"],
        completeness=meta["completeness"],
        superseded=False,
        parser=kind,
        body=body,
        path=rel,
        names=alias,
    )
    with _locked(corpus_dir):
        docs, quoted = load_documents(corpus_dir)
        registry_text = (corpus_dir / "sources.toml").read_text(encoding="utf-8")
        in_place = _check_duplicates(doc, raw, path, dest, corpus_dir, docs, [q.id for q in quoted])
        _check_clauses(doc, docs, quoted)
        new_registry = _append_entry(registry_text, doc, path.name)
        if dry_run:
            return doc
        _commit(corpus_dir, dest, content, new_registry, registry_text, in_place)
        loaded, _ = load_documents(corpus_dir)
    return next(d for d in loaded if d.id == did)


def clause_keys(doc: Document) -> list[str]:
    """The clause keys the document's parser yields (`art-3`, `1.2`): what a dry run would add."""
    parser = parse_law if doc.parser == "law" else parse_guidance
    return [raw.key for raw in parser(doc)]


# -- reading ----------------------------------------------------------------------------


def _read(path: Path) -> tuple[bytes, str]:
    """(raw bytes, text with LF line ends); a .docx becomes its paragraphs separated by blank lines."""
    if not path.is_file():
        raise CorpusError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise CorpusError(f"{path.name}: unsupported file type {suffix or '(none)'!r} (use .md, .txt or .docx)")
    raw = path.read_bytes()
    if not raw.strip():
        raise CorpusError(f"{path.name}: the file is empty")
    if len(raw) > MAX_BYTES:
        raise CorpusError(f"{path.name}: {len(raw)} bytes is too large for one source (limit {MAX_BYTES})")
    if suffix == ".docx":
        text = _docx_text(path)
    else:
        if b"\x00" in raw:
            raise CorpusError(f"{path.name}: binary content (NUL bytes); expected UTF-8 text")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CorpusError(
                f"{path.name}: not UTF-8 (byte {exc.start}); convert it first, e.g. iconv -f GB18030 -t UTF-8"
            ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    bad = _BAD_CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise CorpusError(f"{path.name}: control character {bad.group()!r} on line {line}")
    if not any(ch.isalnum() for ch in text):
        raise CorpusError(f"{path.name}: no text")
    return raw, text


def _docx_text(path: Path) -> str:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorpusError(f"{path.name}: not a readable .docx ({type(exc).__name__}: {exc})") from None
    tables = [t for t in document.tables if any(c.text.strip() for row in t.rows for c in row.cells)]
    if tables:
        raise CorpusError(
            f"{path.name}: {len(tables)} table(s) with text; only paragraphs are read, convert tables first"
        )
    lines = [ln.strip() for p in document.paragraphs for ln in p.text.split("\n")]
    return "\n\n".join(ln for ln in lines if ln) + "\n"


def _one_line(what: str, value: str) -> str:
    value = value.strip()
    if "\n" in value or _BAD_CONTROL.search(value):
        raise CorpusError(f"{what} must be one line of text")
    if len(value) > 2000:
        raise CorpusError(f"{what} is longer than 2000 characters")
    return value


def _tier(value: str | Tier | None, name: str) -> Tier:
    if value is None or not str(value).strip():
        raise CorpusError(f"{name}: missing tier (give --tier: {', '.join(t.value for t in Tier)})")
    try:
        return Tier(str(value).strip())
    except ValueError:
        raise CorpusError(f"{name}: unknown tier {value!r} ({', '.join(t.value for t in Tier)})") from None


def _version_date(given: str | None, version: str) -> str:
    """YYYY-MM-DD: as given, else the latest date in the version text, else empty (shown as 未载明)."""
    if given is not None and given.strip():
        try:
            return date.fromisoformat(given.strip()).isoformat()
        except ValueError:
            raise CorpusError(f"version date {given!r} is not YYYY-MM-DD") from None
    found: list[date] = []
    for y, m, d in [*_DATE_CN.findall(version), *_DATE_ISO.findall(version)]:
        with contextlib.suppress(ValueError):
            found.append(date(int(y), int(m), int(d)))
    return max(found).isoformat() if found else ""


def _short(title: str) -> str:
    t = title.strip("《》 ")
    return t.removeprefix("中华人民共和国") or t


# -- structure --------------------------------------------------------------------------


def _detect_parser(body: str, name: str) -> str:
    lines = [ln.strip() for ln in body.splitlines()]
    if any(ARTICLE.match(ln) for ln in lines):
        return "law"
    if any(SECTION.match(unicodedata.normalize("NFKC", ln)) for ln in lines):
        return "guidance"
    raise CorpusError(
        f"{name}: no clause structure found: expected statute articles (第一条 …) or a guidance outline "
        "(（一）→ 1. → (1)); only numbered clauses can be cited"
    )


def _as_statute(body: str, name: str, title: str) -> str:
    """Make a statute parseable: the title becomes `# title`, 编/章/节 lines become headings, and articles get
    a heading above them (the law parser skips the title block, i.e. everything before the first `##`)."""
    lines = body.strip("\n").split("\n")
    if not _MD_HEADING.match(lines[0].strip()):
        if lines[0].strip().strip("《》") == title.strip("《》 "):
            lines[0] = f"# {lines[0].strip()}"
        else:
            lines[:0] = [f"# {title}", ""]
    has_bian = any((m := DIVISION.match(ln.strip())) and m.group(2) == "编" for ln in lines)
    levels = {"编": 2, "章": 3, "节": 4} if has_bian else {"编": 2, "章": 2, "节": 3}
    out: list[str] = []
    heading_seen = False
    numbers: list[int] = []
    for line in lines:
        s = line.strip()
        h = _MD_HEADING.match(s)
        if h:
            heading_seen = heading_seen or len(h.group(1)) >= 2
            out.append(line)
            continue
        d = DIVISION.match(s)
        if d and len(s) <= 40 and not s.endswith(("。", "；", "，")):
            out.append(f"{'#' * levels[d.group(2)]} {s}")
            heading_seen = True
            continue
        a = ARTICLE.match(s)
        if a:
            if not heading_seen:
                out += ["## 正文", ""]
                heading_seen = True
            try:
                n = cn_to_int(a.group(1))
            except (ValueError, TypeError, KeyError):
                raise CorpusError(f"{name}: article number {a.group(1)!r} is not a number") from None
            if numbers and n <= numbers[-1]:
                raise CorpusError(
                    f"{name}: 第{a.group(1)}条 comes after article {numbers[-1]}: articles out of order or repeated"
                )
            numbers.append(n)
        out.append(line)
    return "\n".join(out)


def _as_outline(body: str, title: str, name: str) -> str:
    """Drop a title (or markdown headings) above （一）; any other text there is refused."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        s = unicodedata.normalize("NFKC", line).strip()
        if SECTION.match(s):
            return "\n".join(lines[i:])
        if s and not _MD_HEADING.match(s) and s.strip("《》 ") != title.strip("《》 "):
            raise CorpusError(f"{name}: text before the first section （一）: {s[:30]!r}")
    raise CorpusError(f"{name}: no section （一） found")


def _render(meta: dict[str, str], body: str) -> str:
    keys = [*FRONT_KEYS, *(k for k in meta if k not in FRONT_KEYS)]
    head = "".join(f"{k}: {meta[k]}\n" for k in keys)
    return f"---\n{head}---\n{body}"


def _norm_key(text: str) -> str:
    """Content identity: NFKC, whitespace removed."""
    return hashlib.sha256("".join(unicodedata.normalize("NFKC", text).split()).encode()).hexdigest()


def _check_duplicates(
    doc: Document,
    raw: bytes,
    src: Path,
    dest: Path,
    corpus_dir: Path,
    docs: list[Document],
    quoted_ids: list[str],
) -> bool:
    """Refuse a known id, file name or content; True when `src` is an unregistered file already at `dest`."""
    if doc.id in {d.id for d in docs} or doc.id in quoted_ids:
        raise CorpusError(f"document id {doc.id!r} already exists in sources.toml")
    for d in docs:
        if Path(d.path).name.lower() == dest.name.lower():
            raise CorpusError(f"a source named {dest.name} is already registered (as {d.id})")
    in_place = dest.exists() and src.resolve() == dest.resolve()
    if dest.exists() and not in_place:
        raise CorpusError(f"{dest} already exists; rename the file or remove the stale copy")
    raw_sha, key = hashlib.sha256(raw).hexdigest(), _norm_key(doc.body)
    for d in docs:
        existing = corpus_dir / d.path
        if hashlib.sha256(existing.read_bytes()).hexdigest() == raw_sha or _norm_key(d.body) == key:
            raise CorpusError(f"{src.name} has the same content as {d.id} ({d.path})")
    return in_place


def _check_clauses(doc: Document, docs: list[Document], quoted: list[QuotedSource]) -> None:
    """Parse the new document together with the corpus (ids, quotes, refs all checked by the store)."""
    try:
        store = ClauseStore([*docs, doc], quoted)
    except CorpusError:
        raise
    except (ValueError, KeyError, IndexError) as exc:
        raise CorpusError(f"{doc.id}: cannot be parsed as {doc.parser}: {exc}") from None
    if not store.by_doc(doc.id):
        raise CorpusError(f"{doc.id}: no clauses found with the {doc.parser} parser")


def _append_entry(registry: str, doc: Document, original: str) -> str:
    def s(v: str) -> str:
        return json.dumps(v, ensure_ascii=False)  # JSON string escapes are valid TOML basic strings

    rows = [f"# ingested {date.today().isoformat()} from {original}".replace("\n", " "), "[[document]]"]
    rows.append(f"id = {s(doc.id)}")
    if doc.names:
        rows.append(f"names = [{', '.join(s(n) for n in doc.names)}]")
    rows += [
        f"file = {s(doc.path)}",
        f"short = {s(doc.short)}",
        f"tier = {s(doc.tier.value)}",
        f"version_date = {s(doc.version_date)}",
        "superseded = false",
        f"parser = {s(doc.parser)}",
    ]
    text = registry.rstrip("\n") + "\n\n" + "\n".join(rows) + "\n"
    try:
        entries = tomllib.loads(text).get("document", [])
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"sources.toml would not parse after the append: {exc}") from None
    if not entries or entries[-1].get("id") != doc.id:
        raise CorpusError("sources.toml: the new entry did not land last in [[document]]")
    return text


# -- writing ----------------------------------------------------------------------------


@contextlib.contextmanager
def _locked(corpus_dir: Path) -> Iterator[None]:
    """One writer at a time per corpus (flock on the directory itself: no lock file to clean up)."""
    load_registry(corpus_dir)  # a clear error when the registry is missing
    fd = os.open(corpus_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _write_atomic(path: Path, text: str) -> None:
    """Temp file in the same directory, fsync, rename over: readers see the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    dfd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def _commit(corpus_dir: Path, dest: Path, content: str, registry: str, old_registry: str, in_place: bool) -> None:
    """Source file first, then the registry; verify by loading; undo both on any failure."""
    reg_path = corpus_dir / "sources.toml"
    old_source = dest.read_text(encoding="utf-8") if in_place else None
    try:
        _write_atomic(dest, content)
        _write_atomic(reg_path, registry)
        ClauseStore.load(corpus_dir)
    except BaseException as exc:
        _write_atomic(reg_path, old_registry)
        if old_source is not None:
            _write_atomic(dest, old_source)
        else:
            with contextlib.suppress(FileNotFoundError):
                dest.unlink()
        if isinstance(exc, CorpusError):
            raise CorpusError(f"rolled back: {exc}") from None
        if isinstance(exc, Exception):
            raise CorpusError(f"rolled back after {type(exc).__name__}: {exc}") from exc
        raise

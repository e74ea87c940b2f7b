"""Version snapshots: the corpus and rules source a corpus_version was computed from, as <data>/versions/<v>.tar.gz."""

from __future__ import annotations

import gzip
import io
import logging
import os
import re
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from assistant.clauses.store import ClauseStore
from assistant.config import ROOT, Settings

log = logging.getLogger(__name__)

RULES_DIR = ROOT / "assistant" / "rules"  # the running rules code (assistant.core.RULES_DIR)
CORPUS_ARC = "corpus"
RULES_ARC = "assistant/rules"
_VERSION = re.compile(r"^[0-9a-f]{8,64}$")  # versions come from audit files too: never a path


class SnapshotError(RuntimeError):
    """A snapshot cannot be written, found or read."""


def _files(root: Path, pattern: str) -> Iterator[Path]:
    """Regular files under `root`, sorted; caches and hidden files (editor swap files) are not content."""
    for path in sorted(root.glob(pattern)):
        rel = path.relative_to(root).parts
        if path.is_file() and not any(p.startswith(".") or p == "__pycache__" for p in rel):
            yield path


def pack(corpus_dir: Path, rules_dir: Path = RULES_DIR) -> bytes:
    """corpus/** and assistant/rules/*.py as a tar.gz; byte-identical for identical content (no times, owners)."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        members = [(p, f"{CORPUS_ARC}/{p.relative_to(corpus_dir).as_posix()}") for p in _files(corpus_dir, "**/*")]
        members += [(p, f"{RULES_ARC}/{p.name}") for p in _files(rules_dir, "*.py")]  # what corpus_version hashes
        for path, name in members:
            data = path.read_bytes()
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def unpack(data: bytes, dest: Path) -> None:
    """Extract an archive made by `pack` into `dest` (regular files only, nothing outside `dest`)."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            tar.extractall(dest, filter="data")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise SnapshotError(f"unreadable snapshot archive ({type(exc).__name__}: {exc})") from None
    if not (dest / CORPUS_ARC / "sources.toml").is_file():
        raise SnapshotError(f"snapshot archive has no {CORPUS_ARC}/sources.toml")


def version_of(tree: Path) -> str:
    """The corpus_version an unpacked snapshot computes to (its corpus, its rules source)."""
    from assistant.core import corpus_version  # late: the model stack is not needed to write archives

    return corpus_version(ClauseStore.load(tree / CORPUS_ARC), tree / RULES_ARC)


def rules_changes(snapshot_rules: Path, current: Path = RULES_DIR) -> tuple[str, ...]:
    """Names of rules source files added, removed or changed between a snapshot and the running code."""
    old = {p.name: p.read_bytes() for p in _files(snapshot_rules, "*.py")}
    new = {p.name: p.read_bytes() for p in _files(current, "*.py")}
    return tuple(sorted(n for n in old.keys() | new.keys() if old.get(n) != new.get(n)))


class Snapshots:
    """Content-addressed archives under `root`, one per corpus_version; immutable once written."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def of(cls, settings: Settings) -> Snapshots:
        return cls(settings.data_dir / "versions")

    def path(self, version: str) -> Path:
        if not _VERSION.match(version):
            raise SnapshotError(f"{version[:40]!r} is not a corpus version (hex digits)")
        return self.root / f"{version}.tar.gz"

    def has(self, version: str) -> bool:
        return _VERSION.match(version) is not None and self.path(version).is_file()

    def save(self, version: str, corpus_dir: Path, rules_dir: Path = RULES_DIR) -> Path:
        """Archive what `version` was computed from, unless already there. The archive is checked to compute to
        `version` before it is stored: files edited since the version was loaded would make it lie."""
        dest = self.path(version)
        if dest.is_file():
            return dest
        data = pack(corpus_dir, rules_dir)
        with tempfile.TemporaryDirectory(prefix="snapshot-check-") as tmp:
            unpack(data, Path(tmp))
            got = version_of(Path(tmp))
        if got != version:
            raise SnapshotError(f"the corpus or rules changed since version {version} was loaded (now {got})")
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=f".{version}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp_name, dest)  # atomic: readers see no archive or the whole one
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return dest

    def extract(self, version: str, dest: Path) -> Path:
        """The snapshot unpacked at `dest` (corpus/, assistant/rules/); reused when already there."""
        if (dest / CORPUS_ARC / "sources.toml").is_file():
            return dest
        path = self.path(version)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SnapshotError(f"no snapshot {path} ({exc.strerror})") from None
        if dest.exists():
            shutil.rmtree(dest)  # an incomplete tree from elsewhere: the archive is the truth
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}."))
        try:
            unpack(data, tmp)
            os.replace(tmp, dest)  # a crash mid-extraction leaves only the hidden temp dir
        except OSError:
            if not (dest / CORPUS_ARC / "sources.toml").is_file():  # not another process winning the race
                raise
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        return dest


def save_snapshot(settings: Settings, version: str) -> Path | None:
    """Keep the snapshot of the version being served; a failure is a warning, never a failed start."""
    try:
        return Snapshots.of(settings).save(version, settings.corpus_dir)
    except Exception as exc:  # serving matters more than replayability
        log.warning("no snapshot of corpus version %s: %s: %s", version, type(exc).__name__, exc)
        return None

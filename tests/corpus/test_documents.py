from pathlib import Path

import pytest

from assistant.corpus.base import CorpusError, Tier, load_documents, parse_front_matter


def test_every_source_is_registered_with_front_matter(corpus_dir: Path) -> None:
    docs, quoted = load_documents(corpus_dir)
    files = {p.name for p in (corpus_dir / "sources").glob("*.md")}
    assert {Path(d.path).name for d in docs} == files
    for d in docs:
        assert d.title and d.issuer and d.version and d.source and d.completeness
        assert d.body.lstrip().startswith("#") or d.id == "guidance"
    assert {q.id for q in quoted} == {"acftu-dispatch-rule", "acftu-membership-rule"}


def test_superseded_documents(corpus_dir: Path) -> None:
    docs, _ = load_documents(corpus_dir)
    superseded = {d.id for d in docs if d.superseded}
    assert superseded == {"union-law-2009", "acftu-constitution-2008"}


def test_tier_enum_fails_loudly() -> None:
    assert Tier("law") is Tier.LAW
    with pytest.raises(ValueError):
        Tier("statute")


@pytest.mark.parametrize(
    "text",
    ["no front matter", "---\ntitle: x\n", "---\ntitle x\n---\nbody", "---\ntitle: x\n---\nbody"],
)
def test_malformed_front_matter_is_a_clear_error(text: str) -> None:
    with pytest.raises(CorpusError):
        parse_front_matter(text, "bad.md")


def test_front_matter_ok() -> None:
    meta, body = parse_front_matter(
        "---\ntitle: T\nissuer: I\nversion: V\nsource: S\ncompleteness: C\n---\n# body\n", "ok.md"
    )
    assert meta["title"] == "T" and body == "# body\n"

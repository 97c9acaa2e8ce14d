from __future__ import annotations

import hashlib
import json

import jsonschema
import pytest

from service.prompts import PromptError, PromptLibrary
from tests.conftest import ROOT

PROMPTS = ROOT / "prompts"
RELEASED = json.loads((PROMPTS / "released.json").read_text())


def test_released_prompt_files_are_never_edited() -> None:
    """A released version is immutable: change a prompt by adding the next version."""
    for ref, digest in RELEASED.items():
        name, version = ref.split("@")
        path = PROMPTS / name / f"{version}.yaml"
        assert path.exists(), f"released prompt {ref} was deleted"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, (
            f"released prompt {ref} was edited"
        )


def test_every_prompt_file_is_released_or_newer() -> None:
    for path in PROMPTS.glob("*/v*.yaml"):
        assert f"{path.parent.name}@{path.stem}" in RELEASED, f"{path} is not in released.json"


@pytest.mark.parametrize("name", ["article", "extract", "locate", "summarize", "summarize_claims"])
def test_prompts_load_and_schemas_are_valid(name: str) -> None:
    prompt = PromptLibrary(PROMPTS).get(name)
    assert prompt.ref.startswith(f"{name}@v")
    if prompt.schema is not None:
        jsonschema.Draft202012Validator.check_schema(prompt.schema)


def test_pinning_an_unknown_version_fails_clearly() -> None:
    with pytest.raises(PromptError, match="not found"):
        PromptLibrary(PROMPTS, {"extract": "v999"}).get("extract")


def test_article_text_with_braces_is_not_a_template() -> None:
    prompt = PromptLibrary(PROMPTS).get("article")
    rendered = prompt.render(article="a {b} {{c}} {0}")
    assert "a {b} {{c}} {0}" in rendered

"""Record the SHA-256 of every prompt version in prompts/released.json.

Existing entries are never changed: once a version is released its file is frozen, and
tests/test_prompts.py fails if it is edited. To change a prompt, add the next version.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"


def main() -> None:
    manifest = PROMPTS / "released.json"
    released: dict[str, str] = json.loads(manifest.read_text()) if manifest.exists() else {}
    for path in sorted(PROMPTS.glob("*/v*.yaml")):
        ref = f"{path.parent.name}@{path.stem}"
        if ref not in released:
            released[ref] = hashlib.sha256(path.read_bytes()).hexdigest()
            print(f"released {ref}")
    manifest.write_text(json.dumps(dict(sorted(released.items())), indent=2) + "\n")


if __name__ == "__main__":
    main()

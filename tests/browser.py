"""Headless Debian Chromium for the browser tests, one way for every test file.

Playwright's own browser download cannot work offline; Debian's package can. A missing
browser skips the test, or fails it when CI sets SUMMARIZER_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_playwright() -> Any:
    """The playwright sync API module, or a skip (a failure when CI demands the browser)."""
    required = os.environ.get("SUMMARIZER_REQUIRE_BROWSER") == "1"
    missing = None
    try:
        from playwright import sync_api
    except ImportError:
        missing = "playwright is not installed"
    if missing is None and not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing"
    if missing:
        if required:
            pytest.fail(f"SUMMARIZER_REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(missing)
    return sync_api


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)

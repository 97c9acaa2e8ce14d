"""The web page against script in every field a hostile article or model can fill (issue 7).

Markup arrives as article text, as an HTML page's escaped text and title, and from a model
that copies it into claims, speakers, headlines, entity names and dropped claims. Rendered in
Debian's Chromium: it must show as text, create no element and run nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from langchain_core.messages import BaseMessage

from service.compose import build_api, build_services
from service.config import Settings
from tests.browser import launch, require_playwright
from tests.conftest import make_backend
from tests.fake_openai import serve
from tests.fakes import claims_shown, reader_responder

# Each payload sets a flag if it ever runs; none may.
IMG = "<img src=x onerror=window.__xss=1>"
SVG = "<svg onload=window.__xss=2>"
SCRIPT = "<script>window.__xss=3</script>"
TEXT = (
    f"Officials in Kyiv said {IMG} that 5 people were hurt on Monday. "
    f"The minister said {SVG} more help is coming to Kyiv. {SCRIPT} Officials in Lviv agreed."
)
HTML = (
    "<!doctype html><html><head><title>&lt;img src=x onerror=window.__xss=4&gt; Kyiv news"
    "</title></head><body><article><h1>Kyiv news</h1><p>Officials in Kyiv said "
    "&lt;script&gt;window.__xss=5&lt;/script&gt; that 5 people were hurt on Monday.</p>"
    "<p>The minister said &lt;iframe src=javascript:window.__xss=6&gt; help is coming.</p>"
    "</article></body></html>"
)
PROBE = """
window.__dialogs = 0;
window.alert = window.confirm = window.prompt = () => { window.__dialogs += 1; };
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));
"""


def copycat(messages: list[BaseMessage], kwargs: dict[str, Any]) -> str:
    """The editor, but its headline carries the article's markup."""
    answer = json.loads(reader_responder(messages, kwargs))
    if "<claim>" not in str(messages[-1].content):
        return json.dumps(answer)  # refer: as the reader answers
    shown = claims_shown(messages)
    markup = re.findall(r"<[^>]+>", " ".join(t for _, _, t in shown)) or [IMG]
    # Only words and figures of the claim (else the headline checks drop it), and the markup.
    words = "5 people hurt in Kyiv" if "5 people" in shown[0][2] else "Kyiv"
    answer["headline"] = f"{words} {markup[0]}"[:90]
    return json.dumps(answer)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(cache_dir=tmp_path_factory.mktemp("web-hostile"))
    app = build_api(build_services(settings, backend=make_backend(copycat)), warm=False)
    with serve(SimpleNamespace(app=app)) as url:  # type: ignore[arg-type]
        yield url.removesuffix("/v1")


def test_markup_from_articles_and_model_is_shown_as_text_and_never_runs(
    site: str, tmp_path: Path
) -> None:
    sync_api = require_playwright()
    from playwright.sync_api import expect

    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context()
            context.add_init_script(PROBE)
            page = context.new_page()
            page.set_default_timeout(30_000)
            responses: list[Any] = []
            page.on("response", lambda r: responses.append(r) if "/v1/" in r.url else None)
            page.goto(site)
            page.set_input_files(
                "#files",
                files=[
                    {"name": "a.txt", "mimeType": "text/plain", "buffer": TEXT.encode()},
                    {"name": "b.html", "mimeType": "text/html", "buffer": HTML.encode()},
                ],
            )
            page.click("#summarize")
            expect(page.locator("#progress-text")).to_have_text(
                re.compile(r"^Finished"), timeout=60_000
            )
            expect(page.locator("#story-matrix")).to_be_visible()
            page.wait_for_timeout(300)  # give any injected handler its chance

            results = [r.json() for r in responses if r.url.endswith("/v1/summaries") and r.ok]
            assert len(results) == 2
            a, b = results
            # The payloads made it to the page as article text. The headline is the claim's
            # own words or a deletion of them (the model writes one only where neither can),
            # and it is shown as the text it is.
            assert any(IMG in c["text"] for c in a["claims"])
            expect(page.locator("#r1")).to_contain_text(a["summary"]["headline"])
            assert "<script>window.__xss=5</script>" in (b["source"]["extracted_text"] or "")
            for needle in (IMG, SVG, SCRIPT):
                expect(page.locator("#r1")).to_contain_text(needle)
            expect(page.locator("#r2 .source-text")).to_contain_text("<script>window.__xss=5")
            expect(page.locator("#r2")).to_contain_text("<iframe src=javascript:window.__xss=6>")

            # ... and none of them became an element or ran.
            main = "#results img, #results svg, #results script, #results iframe"
            assert page.locator(main).count() == 0
            assert page.locator("#story img, #story svg, #story script").count() == 0
            assert page.locator("script").count() == 1  # app.js
            assert page.evaluate("window.__xss") is None
            assert page.evaluate("window.__dialogs") == 0
            assert page.evaluate("window.__csp") == []
        finally:
            browser.close()

"""The story table in Debian's Chromium: a general fact with its figure nested under it,
each row with its own ticks and support, against the real app and the scripted model."""

from __future__ import annotations

import re
from typing import Any

from tests.test_web import (  # noqa: F401  (fixtures)
    ARTIFACTS,
    Recorder,
    Server,
    _assert_clean,
    browser,
    page,
    server,
)

ARTICLES = {
    "Outlet A": "Kyrylo Budanov spoke in Kyiv on Saturday. Kyrylo Budanov said North Korea supplies "
    "up to 40% of Russia's artillery ammunition. The weather was cold.",
    "Outlet B": "Kirill Budanov gave an interview. Kirill Budanov said North Korea supplies nearly "
    "40 percent of Russia's artillery ammunition. Traffic was heavy in the city.",
    "Outlet C": "Budanov talked to reporters. Budanov said North Korea supplies huge amounts of "
    "Russia's artillery ammunition. A new bridge opened downtown.",
}


def test_story_table_nests_the_figure_under_its_general_fact(
    page: tuple[Any, Recorder],  # noqa: F811
    server: Server,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    pg, rec = page
    pg.goto(server.url)
    pg.set_input_files(
        "#files",
        files=[
            {"name": f"{n}.txt", "mimeType": "text/plain", "buffer": t.encode()}
            for n, t in enumerate(ARTICLES.values())
        ],
    )
    boxes = pg.locator(".article-box")
    expect(boxes).to_have_count(3)
    for n, outlet in enumerate(ARTICLES):
        boxes.nth(n).locator(".article-outlet").fill(outlet)
    pg.click("#summarize")
    expect(pg.locator("#story-matrix")).to_be_visible(timeout=120_000)
    expect(pg.locator("#progress-text")).to_have_text(re.compile(r"^Finished 3 articles"))

    (story,) = rec.json_of("/v1/stories")
    general = next(c for c in story["clusters"] if c["specific"])
    (figure,) = general["specific"]
    assert general["support"] == 3 and figure["support"] == 2
    assert {s["article"] for s in figure["articles"]} == {"Outlet A", "Outlet B"}

    top = pg.locator(f'#story-matrix tr[data-cluster="{general["id"]}"]')
    nested = pg.locator(f'#story-matrix tr.specific[data-parent="{general["id"]}"]')
    expect(nested).to_have_count(1)
    expect(nested).to_have_attribute("data-cluster", figure["id"])
    # The nested row comes right after its general fact, with its figure and its own support.
    assert pg.evaluate(
        "([a, b]) => document.querySelector(a).nextElementSibling === document.querySelector(b)",
        [f'#story-matrix tr[data-cluster="{general["id"]}"]', "#story-matrix tr.specific"],
    )
    expect(nested.locator(".badge.figure")).to_have_text(figure["numbers"])
    expect(top.locator("td.tick")).to_have_count(3)
    expect(nested.locator("td.tick")).to_have_count(2)
    expect(nested.locator("td.num")).to_have_text(
        [str(figure["support"]), str(figure["independent_support"])]
    )
    # Outlet C states the fact without the figure: no tick on the figure's row.
    c_column = [a["id"] for a in story["articles"]].index("Outlet C")
    expect(nested.locator("td").nth(c_column)).to_have_class("no-tick")
    expect(pg.locator(".story-summary")).to_have_text(story["summary"])
    expect(pg.locator(".story-summary")).to_contain_text("Outlet A")
    ARTIFACTS.mkdir(exist_ok=True)
    pg.locator("#story").screenshot(path=str(ARTIFACTS / "story-nested-clusters.png"))
    _assert_clean(pg, rec)

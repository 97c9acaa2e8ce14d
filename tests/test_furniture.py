"""Page furniture (issue 22, item 4): captions, credits, prompts and links to other stories
are removed and audited in `removed`, on text and HTML input; article sentences that look
like them are never removed (precision first)."""

from __future__ import annotations

import dataclasses

import pytest

from service.pipeline.language import english
from service.pipeline.reading.clean import clean_html, clean_text
from service.pipeline.reading.furniture import drop_captions, furniture

# True furniture, as pages print it (several from the pages PolNeAR was drawn from).
FURNITURE = [
    ("Scroll down for video", "video_prompt"),
    ("Arrest: a house where the suspect lived in Leeds (file photo)", "image_caption"),
    ("Police outside the court on Monday (file photo).", "image_caption"),
    ("Image copyright Getty Images", "image_caption"),
    ("Image caption The house where the man was arrested", "image_caption"),
    ("Getty Images", "image_caption"),
    ("Getty.", "image_caption"),
    ("Scott Olson via Getty Images.", "image_caption"),
    ("John Moore/Getty Images.", "image_caption"),
    ("AP Photo/Evan Vucci", "image_caption"),
    ("Photo: AP", "image_caption"),
    ("Credit: Jane Doe/Reuters", "image_caption"),
    ("Police at the scene on Monday (Photo: AP)", "image_caption"),
    ("Fans gather outside the stadium before kick-off. Picture: Reuters", "image_caption"),
    (
        "Christoph Blocher at a party meeting on 2 October. (FABRICE COFFRINI/AFP/Getty Images.)",
        "image_caption",
    ),
    ("Pictured: the house in Leeds where the man lived", "image_caption"),
    ("A military scene depicting artillery shells and missiles.", "image_caption"),
    ("(h/t RCP Video.)", "image_caption"),
    ("Read more: Council approves budget", "read_also"),
    ("RELATED: Trump wins Nevada caucuses", "read_also"),
    ("Also on HuffPost:", "read_also"),
    ("Share this article", "share_prompt"),
    ("Click here to subscribe to our newsletter", "share_prompt"),
    ("Follow us on Twitter", "share_prompt"),
    ("Follow Pam Key on Twitter @pamkeyNEN.", "share_prompt"),
    ("Advertisement", "share_prompt"),
    (
        "Want more updates from Amanda? Sign up for her newsletter, Piping Hot Truth.",
        "share_prompt",
    ),
    ("(Subscribe to POLITICO's Off Message podcast with Glenn Thrush.)", "share_prompt"),
    ("Watch the video above.", "video_prompt"),
    ("See photos from the debate below:", "video_prompt"),
    ("We Are Sorry,This video is restricted from playingEcode: 11.", "video_prompt"),
    ("(BEGIN VIDEO CLIP.)", "video_prompt"),
    ("Media playback is unsupported on your device", "video_prompt"),
    ("Support us with a one-time donation, or become a Patron!", "donation"),
    ("By Jane Doe, Political Correspondent", "byline"),
    ("Crowds in the square on Sunday (AP Photo/Evan Vucci)", "image_caption"),
    ("Do you support Donald Trump? Like the page:", "share_prompt"),
    ("(Additional reporting by Kylie MacLellan; Editing by Michael Holden.)", "byline"),
    ("Phillip reported from Oakland, Calif.; Gearan, from Washington.", "byline"),
]

# Real news sentences that look like furniture: none may be removed.
LOOKALIKES = [
    "Police said: the house was searched.",
    "The reason was simple: the money had run out.",
    "Read more than 300 pages, he said.",
    "Getty Images said its profits rose by 5% last year.",
    "He told Reuters the deal was off.",
    "Reuters reported that the talks had stalled.",
    "A report showing that unemployment rose was published on Monday.",
    "Photographs of the scene were shared widely online, police said.",
    "Video footage showed the man running from the scene.",
    "The photo, taken by AP, shows the minister at the border.",
    "Watch out for price rises above inflation, the regulator said.",
    "See you in court, he told reporters.",
    '"Just click here," the scammer wrote in the email.',
    "Follow the money, the prosecutor told the jury.",
    "Share prices fell 3% in early trading.",
    "Subscribers to the service will pay £5 a month.",
    '"I just liked what he said and wanted to make a donation," said Hayati Camlica.',
    "Support for the party fell to 28%, the poll found.",
    "Credit card debt rose to a record £72bn in March.",
    "Left unchecked, the deficit will grow, the IMF warned.",
    "Above all, the minister said, the deal must be fair.",
    "The house in Leeds (pictured) was searched by officers.",
    "Related charges were dropped, the court heard.",
    "Advertisements for the scheme will run until May.",
    "Mr Smith, 45, was arrested at his home in Leeds on Monday.",
    "Police reported from the scene that four people were hurt.",
    "Reporters from Reuters and AP were at the scene.",
    "Likes on the page rose after the post, the campaign said.",
    "The rules were set by the US Environmental Protection Agency (EPA).",
    "By September, broadband connections in the UK had overtaken dial-up.",
    "By Christmas, Mr Smith said, the line would be open.",
]


@pytest.mark.parametrize(("line", "reason"), FURNITURE, ids=[f[0][:30] for f in FURNITURE])
def test_furniture_is_found(line: str, reason: str) -> None:
    found = furniture(line)
    assert found is not None and (found.reason, found.start) == (reason, 0)


@pytest.mark.parametrize("line", LOOKALIKES, ids=[s[:30] for s in LOOKALIKES])
def test_a_sentence_that_looks_like_furniture_is_article_text(line: str) -> None:
    assert furniture(line) is None


def _article(lines: list[str]) -> str:
    return "\n\n".join(["Council approves new tram line for the city", *lines])


def test_no_article_sentence_is_removed_and_every_furniture_line_is_audited() -> None:
    real = [*LOOKALIKES, "Brexit: what happens next for the talks, in one long sentence."]
    lines = [x for pair in zip(real, [f for f, _ in FURNITURE], strict=False) for x in pair]
    source = _article(lines)
    doc = clean_text(source)
    kept = [doc.text[a:b] for a, b in doc.paragraphs]
    assert kept[1:] == real  # zero false removals, every furniture line gone
    reasons = {r.text: r.reason for r in doc.removed}
    assert reasons == dict(FURNITURE[: len(real)])
    for r in doc.removed:
        assert source[r.start : r.end] == r.text


def test_a_prompt_closing_a_paragraph_goes_and_the_paragraph_stays() -> None:
    paragraph = (
        "The council approved the plan on Monday after a long debate in the chamber. "
        "Click here to read the full report."
    )
    source = _article([paragraph])
    doc = clean_text(source)
    assert doc.text.endswith("after a long debate in the chamber.")
    (removed,) = doc.removed
    assert (removed.text, removed.reason) == ("Click here to read the full report.", "share_prompt")
    assert source[removed.start : removed.end] == removed.text


def test_a_language_pack_without_furniture_cues_removes_nothing() -> None:
    bare = dataclasses.replace(english(), furniture={})
    for line, _ in FURNITURE:
        assert furniture(line, bare) is None


def test_cue_words_come_from_the_language_pack() -> None:
    lex = english()
    cues = dict(lex.furniture)
    cues["picture_agencies"] = ("Agence Exemple",)
    other = dataclasses.replace(lex, furniture=cues)
    assert furniture("Jean Dupont/Agence Exemple", other) is not None
    assert furniture("Jean Dupont/Agence Exemple") is None
    assert furniture("Jean Dupont/Reuters") is not None


PAGE = """<!doctype html>
<html><head><title>Harbour bridge reopens after repairs</title></head><body>
<article>
<h1>Harbour bridge reopens after repairs</h1>
<p>The harbour bridge reopened on Friday after eight months of repairs costing 35 million
dollars, the city engineer Tom Alvarez said at a briefing in the town hall.</p>
<figure><img src="a.jpg" alt="The bridge at dawn"><figcaption>Reopened: the bridge at dawn
on Friday, when the mayor Anna Berg cut the ribbon</figcaption></figure>
<p>Scroll down for video</p>
<p>Alvarez said traffic and tram services would return to normal by Monday, a week earlier
than the transport authority had planned.</p>
<p class="story-photo-credit">Mayor Anna Berg opened the bridge with her two children on a
sunny morning</p>
<p>Image copyright Harbour News/Reuters</p>
<p>The transport authority estimates that up to 60,000 vehicles cross the bridge each day,
more than any other crossing in the region.</p>
</article></body></html>"""


def test_captions_and_credits_of_a_page_are_removed_and_audited() -> None:
    doc = clean_html(PAGE)
    for caption in ("Mayor Anna Berg opened", "the bridge at dawn", "Scroll down", "copyright"):
        assert caption not in doc.text
    for sentence in ("35 million", "return to normal by Monday", "60,000 vehicles"):
        assert sentence in doc.text
    audit = {(r.reason, r.text.split()[0]) for r in doc.removed}
    assert {
        ("image_caption", "Mayor"),  # <p class="story-photo-credit">, kept by trafilatura
        ("image_caption", "Reopened:"),  # <figure>
        ("video_prompt", "Scroll"),
        ("image_caption", "Image"),
    } <= audit


def test_only_picture_frames_and_caption_elements_are_dropped() -> None:
    from lxml import html

    tree = html.fromstring(
        '<html><body class="has-captions"><article>'
        "<figure><blockquote><p>Best day in a decade.</p></blockquote></figure>"
        '<figure><img src="a.jpg"><p>The bridge at dawn</p></figure>'
        '<div class="media-caption__text">Commuters on the bridge</div>'
        '<span id="imageCredit">Jane Doe</span>'
        "<p>Incredible scenes, said the mayor.</p>"
        f'<div class="story has-caption"><p>{"The tram runs every ten minutes. " * 12}</p></div>'
        "</article></body></html>"
    )
    assert drop_captions(tree) == ["The bridge at dawn", "Commuters on the bridge", "Jane Doe"]
    text = tree.text_content()
    assert text.startswith("Best day in a decade.Incredible scenes, said the mayor.The tram")

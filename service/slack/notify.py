"""Posting a finished job back to Slack: the result, or a failure said plainly.

A job's `notify` target comes from the job spec, which API clients can also write, so a
target is only honoured when it carries our seal (an HMAC made by the Slack handlers), and
a response_url only when it points at Slack. Otherwise /v1/jobs would be a way to post into
any channel the bot is in, or to make this server call an internal address.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any

import httpx
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from service.config import Settings
from service.jobs.models import JobError, JobView
from service.jobs.service import Notifier
from service.slack.blocks import Block, context, section, story_blocks, summary_blocks

log = logging.getLogger(__name__)

SLACK_HOOKS = ("https", "hooks.slack.com")
_FAILURES = {
    "fetch_blocked_address": "The link points to a private or internal address, so it was "
    "not fetched: only public web pages can be summarised.",
    "fetch_timeout": "The linked page took too long to load.",
    "fetch_too_large": "The linked page is too large to summarise.",
    "fetch_unsupported_content_type": "The link is not an article page; only HTML and plain "
    "text pages can be summarised.",
    "fetch_http_error": "The linked site answered with an error.",
    "fetch_too_many_redirects": "The link redirects too many times.",
    "fetch_invalid_url": "That link cannot be fetched.",
    "fetch_failed": "The linked page could not be fetched.",
    "model_unavailable": "The summarisation model is not available right now; please try "
    "again in a few minutes.",
    "model_timeout": "The summarisation model took too long; please try again later.",
    "model_invalid_output": "The model's answer could not be used, even after retries.",
    "model_truncated_output": "The model's answer was cut off, even after retries.",
    "empty_article": "There is no article text to summarise.",
    "input_too_large": "The article is too long to summarise.",
}


def _key(settings: Settings) -> bytes | None:
    secret = settings.slack_bot_token or settings.slack_signing_secret or settings.slack_app_token
    if secret is None:
        return None
    return hashlib.sha256(
        b"summarizer/slack-notify\0" + secret.get_secret_value().encode()
    ).digest()


def _mac(target: dict[str, Any], key: bytes) -> str:
    body = json.dumps({k: v for k, v in target.items() if k != "seal"}, sort_keys=True)
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def seal(target: dict[str, Any], settings: Settings) -> dict[str, Any]:
    key = _key(settings)
    if key is None:
        raise RuntimeError("Slack is not configured: no bot token or signing secret")
    return {**target, "kind": "slack", "seal": _mac({**target, "kind": "slack"}, key)}


def unseal(target: dict[str, Any] | None, settings: Settings) -> dict[str, Any] | None:
    key = _key(settings)
    if not target or key is None or not isinstance(target.get("seal"), str):
        return None
    return target if hmac.compare_digest(target["seal"], _mac(target, key)) else None


def response_url_allowed(url: str, settings: Settings) -> bool:
    try:
        parsed, api = httpx.URL(url), httpx.URL(settings.slack_api_url)
    except httpx.InvalidURL:
        return False
    if (parsed.scheme, parsed.host) == SLACK_HOOKS:
        return True
    # The fake Slack of the tests serves both the Web API and response URLs.
    return (parsed.scheme, parsed.host, parsed.port) == (api.scheme, api.host, api.port)


def web_client(settings: Settings) -> AsyncWebClient:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return AsyncWebClient(token=token, base_url=settings.slack_api_url)


def failure_message(error: JobError | None, status: str) -> tuple[str, list[Block]]:
    error = error or JobError(code="unknown", message="the job ended without a result")
    lead = _FAILURES.get(error.code, "Something went wrong while summarising.")
    if status == "dead":
        lead += f" Gave up after {error.attempts or 'several'} attempts."
    text = f":warning: Could not summarise this. {lead}"
    detail = f"`{error.code}`: {error.message}".replace("<", "&lt;").replace(">", "&gt;")
    return text, [section(text), context(detail[:1500])]


def result_message(view: JobView) -> tuple[str, list[Block]]:
    result = view.result or {}
    if view.kind == "story":
        blocks = story_blocks(result, view.id)
        return f"Story across {len(result.get('articles') or [])} articles", blocks
    results = result.get("results") or []
    # Slack allows 50 blocks a message: fewer claims each when there are several articles.
    shown = max(1, min(5, (45 // max(1, len(results)) - 7) // 2))
    blocks = []
    for index, one in enumerate(results[:4]):
        if index:
            blocks.append({"type": "divider"})
        blocks += summary_blocks(one, view.id, index, shown)
    if len(results) > 4:
        blocks.append(context(f"{len(results) - 4} more articles are in job {view.id}."))
    headline = (results[0].get("summary") or {}).get("headline", "") if results else ""
    return f"Summary: {headline}" if headline else "Summary", blocks


def job_message(view: JobView) -> tuple[str, list[Block]]:
    if view.status == "done" and view.result is not None:
        return result_message(view)
    return failure_message(view.error, view.status)


async def deliver(
    client: AsyncWebClient,
    settings: Settings,
    target: dict[str, Any],
    text: str,
    blocks: list[Block],
) -> bool:
    """Post in the thread when there is one, else (or when that fails) to the response_url."""
    if target.get("channel"):
        try:
            await client.chat_postMessage(
                channel=str(target["channel"]),
                thread_ts=target.get("thread_ts"),
                text=text,
                blocks=blocks,
                unfurl_links=False,
                unfurl_media=False,
            )
            return True
        except SlackApiError as exc:
            # e.g. not_in_channel: the user still gets the answer, privately, below
            log.warning("chat.postMessage failed: %s", exc.response.get("error"))
    url = target.get("response_url")
    if not isinstance(url, str) or not response_url_allowed(url, settings):
        return False
    in_channel = bool(target.get("in_channel")) and not target.get("channel")
    if target.get("channel"):
        text = "I could not post in the thread (invite me to the channel). " + text
    response = await AsyncWebhookClient(url).send_dict(
        {
            "response_type": "in_channel" if in_channel else "ephemeral",
            "replace_original": False,
            "text": text,
            "blocks": blocks,
        }
    )
    if response.status_code != 200:
        log.warning("response_url answered HTTP %s", response.status_code)
    return response.status_code == 200


def slack_notifier(settings: Settings) -> Notifier:
    client = web_client(settings)

    async def notify(view: JobView) -> None:
        target = unseal(view.notify, settings)
        if target is None:
            log.warning("job %s: Slack notify target without a valid seal; not posting", view.id)
            return
        text, blocks = job_message(view)
        await deliver(client, settings, target, text, blocks)

    return notify

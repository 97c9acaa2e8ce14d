"""The Bolt listeners: slash command, message shortcut, app mention, and the result buttons.

Every listener acknowledges first and only then touches the job system, so Slack's three
seconds are never spent on anything slower than a function call; the model runs in a job
and its result arrives through the notifier.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Literal

from pydantic import ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond, AsyncSay
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from service.config import Settings
from service.errors import InputError
from service.jobs.models import JobArticle, JobSpec, JobView
from service.jobs.service import JobService
from service.limits import MAX_STORY_ARTICLES
from service.slack import blocks as bk
from service.slack.articles import from_command, from_message, from_thread
from service.slack.notify import seal
from service.store.flags import FlagRepo
from service.store.jobrepo import IdempotencyConflict

log = logging.getLogger(__name__)

COMMAND = "/summarize"
SHORTCUT = "summarize_message"
SHARE_FLAG = "--channel"
USAGE = (
    "*/summarize <link or pasted article>*: a grounded summary; every claim says who makes "
    "it and quotes the article.\n"
    f"*/summarize {SHARE_FLAG} <link>*: the same, posted in the channel for everyone.\n"
    "*/summarize <link> <link> …*: compare several articles on one story.\n"
    "Or use the message shortcut *Summarize this message*, or mention me in a thread "
    "with several links or pasted articles."
)
MENTION_HELP = (
    "I found no link or pasted article in this thread. Post links (or paste articles) in a "
    "thread and mention me there: I will compare them."
)


def _describe(articles: list[JobArticle]) -> str:
    if len(articles) > 1:
        return f"comparing {len(articles)} articles"
    one = articles[0]
    return f"summarising {one.url}" if one.url else "summarising the pasted text"


def _ref(action: dict[str, Any]) -> dict[str, Any]:
    try:
        value = json.loads(str(action.get("value") or "{}"))
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def find_claim(view: JobView | None, article: int, claim_id: str) -> dict[str, Any] | None:
    results = (view.result or {}).get("results") or [] if view else []
    if not 0 <= article < len(results):
        return None
    return next((c for c in results[article].get("claims") or [] if c["id"] == claim_id), None)


class Listeners:
    def __init__(self, settings: Settings, jobs: JobService, flags: FlagRepo) -> None:
        self.settings = settings
        self.jobs = jobs
        self.flags = flags

    async def submit(
        self, articles: list[JobArticle], target: dict[str, Any], owner: str, key: str | None
    ) -> tuple[JobView | None, str, bool]:
        """The job, or None and a message saying why it could not be started; and whether
        the job is new (False: Slack retried a request whose job already exists)."""
        kind: Literal["summary", "story"] = "story" if len(articles) > 1 else "summary"
        try:
            spec = JobSpec(kind=kind, articles=articles, notify=seal(target, self.settings))
            job, created = await self.jobs.submit_new(spec, owner=owner, idempotency_key=key)
            return job, "", created
        except ValidationError as exc:
            reason = exc.errors()[0].get("msg", "invalid request")
            return None, f":warning: I could not start that: {reason}.", False
        except InputError as exc:  # a full queue, most likely
            return None, f":warning: I could not start that: {exc.message}.", False
        except IdempotencyConflict:
            return None, ":warning: That request was already received with other content.", False

    async def command(self, ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        text = str(command.get("text") or "").strip()
        share = text.split(maxsplit=1)[:1] == [SHARE_FLAG]
        if share:
            text = text[len(SHARE_FLAG) :].strip()
        articles = from_command(text) if text != "help" else []
        if not articles:
            await ack(text=USAGE)
            return
        if len(articles) > MAX_STORY_ARTICLES:
            await ack(text=f"At most {MAX_STORY_ARTICLES} articles at a time, please.")
            return
        await ack(text=f"On it: {_describe(articles)}. The result will appear here.")
        target = {"response_url": command.get("response_url"), "in_channel": share}
        owner = f"slack:{command.get('team_id', '')}"
        job, problem, _created = await self.submit(
            articles, target, owner, command.get("trigger_id")
        )
        if job is None:
            await respond(text=problem, response_type="ephemeral", replace_original=False)

    async def shortcut(
        self, ack: AsyncAck, shortcut: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        message = shortcut.get("message") or {}
        articles = from_message(message, lone_text=True)[:MAX_STORY_ARTICLES]
        if not articles:
            await respond(text="That message has no text or link to summarise.")
            return
        target = {
            "channel": (shortcut.get("channel") or {}).get("id"),
            "thread_ts": message.get("thread_ts") or message.get("ts"),
            "response_url": shortcut.get("response_url"),
        }
        owner = f"slack:{(shortcut.get('team') or {}).get('id', '')}"
        _job, problem, _created = await self.submit(
            articles, target, owner, shortcut.get("trigger_id")
        )
        note = problem or f"On it: {_describe(articles)}. The result will appear in the thread."
        await respond(text=note, response_type="ephemeral", replace_original=False)

    async def mention(
        self,
        body: dict[str, Any],
        event: dict[str, Any],
        client: AsyncWebClient,
        say: AsyncSay,
        context: AsyncBoltContext,
    ) -> None:
        channel, thread = str(event["channel"]), str(event.get("thread_ts") or event["ts"])
        messages: list[dict[str, Any]] = [event]
        if event.get("thread_ts"):
            try:
                replies = await client.conversations_replies(channel=channel, ts=thread, limit=200)
                messages = list(replies.get("messages") or [])
            except SlackApiError as exc:
                error = exc.response.get("error")
                await say(
                    text=f":warning: I could not read this thread ({error}).", thread_ts=thread
                )
                return
        articles, extra = from_thread(messages, context.bot_user_id)
        if not articles:
            await say(text=MENTION_HELP, thread_ts=thread)
            return
        target = {"channel": channel, "thread_ts": thread}
        owner = f"slack:{body.get('team_id', '')}"
        # Slack retries an event it thinks was not delivered; the event id keeps it one job
        key = f"event:{body.get('event_id')}"
        _job, problem, created = await self.submit(articles, target, owner, key)
        if not (problem or created):
            return  # a retry: the thread already has its "On it"
        skipped = f" ({extra} more left out: at most {MAX_STORY_ARTICLES})" if extra else ""
        await say(text=problem or f"On it: {_describe(articles)}{skipped}.", thread_ts=thread)

    async def flag(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        await ack()
        ref = _ref(action)
        job_id, article, claim_id = str(ref.get("job")), ref.get("article"), str(ref.get("claim"))
        verdict = ref.get("verdict")
        view = await self.jobs.get(job_id)
        if not isinstance(article, int):
            article = -1
        claim = find_claim(view, article, claim_id)
        text = await self.jobs.article_text(job_id, article) if claim is not None else None
        if claim is None or text is None or verdict not in ("wrong", "right"):
            await self._confirm(body, respond, client, "That result is no longer available.")
            return
        user = str((body.get("user") or {}).get("id") or "")
        flag_id = await asyncio.to_thread(
            self.flags.add,
            article_text=text,
            claim=claim,
            verdict=verdict,
            job_id=job_id,
            user=user or None,
        )
        said = "flagged as wrong" if verdict == "wrong" else "marked as looking right"
        await self._confirm(
            body,
            respond,
            client,
            f"Thanks: claim {claim_id} {said} (flag {flag_id}). "
            "It becomes a label for the nightly evaluation.",
        )

    async def _confirm(
        self, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient, text: str
    ) -> None:
        """In a message: a private note. In the all-claims modal: the pressed row says so."""
        view = body.get("view")
        if (body.get("container") or {}).get("type") != "view" or not view:
            await respond(text=text, response_type="ephemeral", replace_original=False)
            return
        block_id = (body.get("actions") or [{}])[0].get("block_id")
        blocks = [
            bk.context(f":white_check_mark: {bk.escape(text)}")
            if b.get("block_id") == block_id
            else b
            for b in view["blocks"]
        ]
        update = {k: view[k] for k in ("type", "title", "close") if k in view}
        await client.views_update(
            view_id=view["id"], hash=view.get("hash"), view={**update, "blocks": blocks}
        )

    async def show_claims(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        ref = _ref(action)
        job_id, article = str(ref.get("job")), ref.get("article")
        view = await self.jobs.get(job_id)
        result = (view.result if view else None) or {}
        results = result.get("results") or []
        if isinstance(article, int) and 0 <= article < len(results):
            title = (results[article].get("summary") or {}).get("headline") or "Claims"
            rows = bk.summary_rows(results[article], article)
        elif view is not None and view.kind == "story":
            corroborated, single = bk.story_rows(result)
            title, rows = "Story claims: corroborated, then single-source", corroborated + single
        else:
            return
        modal = bk.all_claims_modal(rows, job_id, str(title))
        await client.views_open(trigger_id=body["trigger_id"], view=modal)


def register(app: AsyncApp, settings: Settings, jobs: JobService, flags: FlagRepo) -> None:
    listeners = Listeners(settings, jobs, flags)
    app.command(COMMAND)(listeners.command)
    app.shortcut(SHORTCUT)(listeners.shortcut)
    app.event("app_mention")(listeners.mention)
    app.action(bk.FLAG_WRONG)(listeners.flag)
    app.action(bk.FLAG_RIGHT)(listeners.flag)
    app.action(bk.SHOW_CLAIMS)(listeners.show_claims)

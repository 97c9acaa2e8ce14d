"""Notifiers by name, built from settings in every process that runs jobs."""

from __future__ import annotations

from service.config import Settings
from service.jobs.service import Notifier


def build_notifiers(settings: Settings) -> dict[str, Notifier]:
    notifiers: dict[str, Notifier] = {}
    if settings.slack_bot_token is None and settings.slack_signing_secret is None:
        return notifiers  # nothing could have sealed a Slack target; skip importing Bolt
    try:
        from service.api.slack.notify import slack_notifier
    except ImportError:  # the Slack adapter is optional
        return notifiers
    notifiers["slack"] = slack_notifier(settings)
    return notifiers

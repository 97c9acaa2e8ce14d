"""Notifiers by name, built from settings in every process that runs jobs."""

from __future__ import annotations

from service.config import Settings
from service.jobs.service import Notifier


def build_notifiers(settings: Settings) -> dict[str, Notifier]:
    notifiers: dict[str, Notifier] = {}
    try:
        from service.api.slack.notify import slack_notifier
    except ImportError:  # the Slack adapter is optional
        return notifiers
    notifiers["slack"] = slack_notifier(settings)
    return notifiers

"""Modals: the full-passage modal has nothing to submit; closing it needs an ack."""

from __future__ import annotations

from slack_bolt import Ack, App


def passage_closed(ack: Ack) -> None:
    ack()


def register(app: App) -> None:
    app.view_closed("full_passage_modal")(passage_closed)

"""Listeners, grouped by Slack surface. Each handler acks, searches, renders, responds."""

from slack_bolt import App

from . import actions, commands, events, shortcuts, views, workspace


def register_listeners(app: App) -> None:
    workspace.register(app)  # first: `/inspection settings` before the questions
    commands.register(app)
    events.register(app)
    actions.register(app)
    views.register(app)
    shortcuts.register(app)

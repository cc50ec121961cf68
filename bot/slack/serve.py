"""Serving Slack: Socket Mode, or HTTP behind gunicorn (a production WSGI server).

Bolt's own `App.start()` is a single-threaded development server; gunicorn runs
several worker processes, each with its own App, sharing the index on disk and
the ledger of handled events in SQLite, so they behave as one bot.
"""

from __future__ import annotations

import json
import logging

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler

from ..config import Settings
from ..digest.schedule import start_scheduler
from .app import create_app
from .services import BotServices, IndexUnavailable

log = logging.getLogger(__name__)


def serve_socket_mode(settings: Settings) -> None:
    settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    services = BotServices.create(settings)
    services.indexes.get()  # build or open the index before taking questions
    app = create_app(settings, services, socket_mode=True)
    start_scheduler(settings)
    log.info("connecting to Slack over Socket Mode")
    SocketModeHandler(app, settings.slack_app_token).start()


def wsgi_application(settings: Settings):
    """The WSGI app: /slack/events for Slack (signature-checked), /healthz for probes."""
    services = BotServices.create(settings)
    try:
        services.indexes.get()
    except IndexUnavailable:
        log.exception("starting without an index; /healthz says so until one opens")
    slack = SlackRequestHandler(create_app(settings, services), path="/slack/events")

    def application(environ, start_response):
        if environ.get("PATH_INFO") == "/healthz":
            try:
                services.indexes.get()
                status, body = "200 OK", {"ok": True}
            except IndexUnavailable:
                status, body = "503 Service Unavailable", {"ok": False, "error": "index not ready"}
            data = json.dumps(body).encode()
            start_response(
                status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
            )
            return [data]
        return slack(environ, start_response)

    application.services = services  # for probes and tests: the index provider, the ledger
    return application


def serve_http(settings: Settings, *, port: int, workers: int, threads: int = 8) -> None:
    settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    from gunicorn.app.base import BaseApplication

    from ..search.service import open_index

    open_index(settings.paths)  # build once here, not once per worker
    start_scheduler(settings)  # in the master process: one job however many workers

    class Gunicorn(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"0.0.0.0:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", threads)
            self.cfg.set("timeout", 30)
            self.cfg.set("graceful_timeout", 10)

        def load(self):
            return wsgi_application(settings)

    log.info("serving Slack over HTTP on port %s with %s workers", port, workers)
    Gunicorn().run()

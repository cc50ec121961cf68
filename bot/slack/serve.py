"""Serving Slack: Socket Mode, or HTTP behind gunicorn (a production server).

Bolt's own `App.start()` is a single-threaded development server; gunicorn runs
several worker processes, each with its own App, sharing the index on disk and
the ledger of handled events in SQLite, so they behave as one bot.

Over HTTP, gunicorn's asyncio (`asgi`) worker runs the front door (frontdoor.py):
it reads each request on the event loop, bounded in size and time, and only a
whole request reaches bolt, in a thread. The checks bolt lacks (guard.py) run in
front of it: body size, timestamp, signature and payload shape.
"""

from __future__ import annotations

import json
import logging
import signal

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler

from ..config import Settings, SettingsError
from ..digest.schedule import start_scheduler
from .app import create_app
from .frontdoor import THREADS, BufferedWSGI
from .guard import guarded
from .services import BotServices, IndexUnavailable

log = logging.getLogger(__name__)


def serve_socket_mode(settings: Settings) -> None:
    if settings.oauth:
        raise SettingsError(
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (installs in many workspaces) need HTTP "
            "mode: Slack does not allow Socket Mode for apps distributed to other "
            "workspaces. Serve with `inspection-bot serve --http` and SLACK_SIGNING_SECRET, "
            "or unset SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for one workspace."
        )
    settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    services = BotServices.create(settings)
    services.indexes.get()  # build or open the index before taking questions
    app = create_app(settings, services, socket_mode=True)
    start_scheduler(settings)
    log.info("connecting to Slack over Socket Mode")
    SocketModeHandler(app, settings.slack_app_token).start()


def wsgi_application(settings: Settings):
    """The WSGI app: /slack/events for Slack (guarded, then signature-checked by
    bolt too), /healthz for probes, and with OAuth settings /slack/install and
    /slack/oauth_redirect (installs in many workspaces). Any WSGI server can run it;
    only the asyncio front door (`asgi_application`) also keeps slow clients from
    holding threads."""
    services = BotServices.create(settings)
    try:
        services.indexes.get()
    except IndexUnavailable:
        log.exception("starting without an index; /healthz says so until one opens")
    slack = guarded(
        SlackRequestHandler(
            create_app(settings, services, oauth=settings.oauth), path="/slack/events"
        ),
        secret=settings.slack_signing_secret,
    )

    def application(environ, start_response):
        if environ.get("PATH_INFO") == "/healthz":
            # 503 only when the bot cannot answer at all (no index); a failing query
            # log or ledger is reported in the body, since answers still go out.
            ok, body = services.health()
            status = "200 OK" if ok else "503 Service Unavailable"
            data = json.dumps(body).encode()
            start_response(
                status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
            )
            return [data]
        return slack(environ, start_response)

    application.services = services  # for probes and tests: the index provider, the ledger
    return application


def asgi_application(settings: Settings, *, threads: int = THREADS) -> BufferedWSGI:
    """The app gunicorn's `asgi` worker serves: the WSGI app behind the front door."""
    return BufferedWSGI(wsgi_application(settings), threads=threads)


def http_requirements(settings: Settings) -> tuple[str, ...]:
    """What HTTP mode needs: the signing secret, and the bot token unless workspaces
    install the app through OAuth (each then has its own)."""
    return (
        ("SLACK_SIGNING_SECRET",) if settings.oauth else ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    )


def serve_http(settings: Settings, *, port: int, workers: int, threads: int = THREADS) -> None:
    settings.require(*http_requirements(settings))
    from gunicorn.app.base import BaseApplication

    from ..search.service import open_index

    # The console script restores SIGPIPE's default so `| head` ends quietly; a
    # server must not die of it: a client that hung up would kill the worker
    # writing its answer, and every request that worker held with it.
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    open_index(settings.paths)  # build once here, not once per worker
    start_scheduler(settings)  # in the master process: one job however many workers

    class Gunicorn(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"0.0.0.0:{port}")
            self.cfg.set("workers", workers)
            # asyncio workers: a slow or stalled client costs a coroutine, not one
            # of a few threads (see frontdoor.py). `threads` sizes the pool that
            # runs bolt on whole requests instead.
            self.cfg.set("worker_class", "asgi")
            self.cfg.set("timeout", 30)
            self.cfg.set("graceful_timeout", 10)
            # gunicorn 27's control socket is one path per user: two bots on a host
            # (or two test servers) would share it, and nothing here uses it.
            self.cfg.set("control_socket_disable", True)

        def load(self):
            return asgi_application(settings, threads=threads)

    log.info("serving Slack over HTTP on port %s with %s workers", port, workers)
    Gunicorn().run()

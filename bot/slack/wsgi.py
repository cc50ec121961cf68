"""A WSGI entry point, for WSGI servers other than the one the bot ships with:

    gunicorn --workers 2 --worker-class gthread --threads 8 --bind 0.0.0.0:3000 bot.slack.wsgi:application

It refuses oversized bodies, malformed timestamps and malformed payloads (guard.py),
but a threaded server ties one thread to each client while it reads the body: put a
buffering proxy in front, or serve `bot.slack.asgi:application` with gunicorn's
asyncio worker instead, which is what `inspection-bot serve --http` runs.

Settings are read from the environment (and .env) when each worker loads this
module. The weekly digest is not scheduled here: set DIGEST_SCHEDULE=off and run
`inspection-bot digest --post` from cron, or use `inspection-bot serve --http`,
which runs gunicorn and the schedule together.
"""

from ..config import load_settings
from .serve import http_requirements, wsgi_application

settings = load_settings()
settings.require(*http_requirements(settings))
application = wsgi_application(settings)

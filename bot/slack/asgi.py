"""The entry point for running gunicorn directly, as `inspection-bot serve --http` does:

    gunicorn --workers 2 --worker-class asgi --bind 0.0.0.0:3000 bot.slack.asgi:application

The asyncio worker reads requests without tying a thread to a slow client, then runs
the bot on whole requests in a thread pool (frontdoor.py). Settings are read from the
environment (and .env) when each worker loads this module. The weekly digest is not
scheduled here: set DIGEST_SCHEDULE=off and run `inspection-bot digest --post` from
cron, or use `inspection-bot serve --http`, which runs gunicorn and the schedule together.
"""

from ..config import load_settings
from .serve import asgi_application

settings = load_settings()
settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
application = asgi_application(settings)

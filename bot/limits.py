"""Limits on what users send, in one place so the log, the search and the docs agree."""

# A question is cut to this many characters before it is searched or logged. Slack
# allows far longer messages; nothing past this helps a search or a curator.
MAX_QUESTION_CHARS = 1000

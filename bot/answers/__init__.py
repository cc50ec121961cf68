"""Answers: a question in, the best records (or an honest abstention) out."""

from .pipeline import Answer, answer, list_records

__all__ = ["Answer", "answer", "list_records"]

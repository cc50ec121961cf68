"""Answers: a question in, the best records (or an honest abstention) out."""

from .pipeline import Answer, answer

__all__ = ["Answer", "answer"]

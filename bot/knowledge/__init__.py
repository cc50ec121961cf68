"""The knowledge base: curated YAML records, proven against the seeds they quote."""

from .loader import load_knowledge, validate_knowledge
from .models import (
    Figure,
    Finding,
    GlossaryTerm,
    HistoryEntry,
    Judgement,
    KnowledgeBase,
    KnowledgeError,
    Passage,
    Problem,
    Recommendation,
    Record,
    Report,
    Section,
    Theme,
)

__all__ = [
    "Figure",
    "Finding",
    "GlossaryTerm",
    "HistoryEntry",
    "Judgement",
    "KnowledgeBase",
    "KnowledgeError",
    "Passage",
    "Problem",
    "Recommendation",
    "Record",
    "Report",
    "Section",
    "Theme",
    "load_knowledge",
    "validate_knowledge",
]

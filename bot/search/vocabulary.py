"""Word lists for query understanding: filler to drop, and cues that set the intent.

Cues are matched as whole tokens (or token sequences) of the lowercased query.
"""

# Question words, chat and words every source shares: they carry no topic.
FILLER = frozenset(
    ["a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "anything", "are", "around", "as", "at", "be", "been", "being", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "done", "during", "each", "else", "ever", "for", "from", "further", "get", "gets", "getting", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "let", "like", "me", "might", "more", "most", "much", "my", "myself", "no", "nor", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "please", "quite", "re", "really", "same", "say", "said", "saying", "says", "see", "seem", "seems", "she", "should", "so", "some", "something", "tell", "than", "that", "thats", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through", "thing", "things", "think", "to", "too", "under", "until", "up", "upon", "us", "very", "want", "was", "we", "were", "what", "whats", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "would", "yes", "yet", "you", "your", "yours", "ofsted", "ofsteds", "inspector", "inspectors", "inspection", "inspections", "inspected", "report", "reports", "poole", "pooles", "council", "councils", "borough", "authority", "authoritys", "la", "find", "found", "finding", "findings", "found", "mention", "mentioned", "mentions", "comment", "comments", "comments", "describe", "described", "explain", "anything", "know", "known", "tell", "told", "give", "show", "bot", "hi", "hello", "hey", "thanks", "thank"]
)

# Each intent's cues. A cue of several words is matched as that sequence.
COMPARISON_CUES = (
    "compare",
    "compared",
    "comparison",
    "comparing",
    "since",
    "changed",
    "better",
    "worse",
    "improved",
    "deteriorated",
    "declined",
    "versus",
    "vs",
    "over time",
    "then and now",
    "2010 and 2017",
    "2010 to 2017",
    "2010 vs 2017",
    "2010 v 2017",
    "difference between",
    "progress since",
)
RECOMMENDATION_CUES = (
    "recommendation",
    "recommendations",
    "recommend",
    "recommended",
    "recommends",
    "should",
    "must",
    "need to",
    "needs to",
    "have to",
    "has to",
    "ought",
    "next steps",
    "to do",
    "action points",
    "actions",
    "asked to",
    "told to",
)
FIGURE_CUES = (
    "how many",
    "how much",
    "how long",
    "number of",
    "numbers",
    "figure",
    "figures",
    "statistic",
    "statistics",
    "stats",
    "percentage",
    "percent",
    "proportion",
    "rate of",
    "per 10000",
    "count",
    "total",
    "data on",
)
JUDGEMENT_CUES = (
    "grade",
    "grades",
    "graded",
    "grading",
    "rating",
    "ratings",
    "rated",
    "judgement",
    "judgements",
    "judgment",
    "judgments",
    "judged",
    "verdict",
    "score",
    "scored",
    "outstanding",
    "inadequate",
    "requires improvement",
    "require improvement",
    "requiring improvement",
)

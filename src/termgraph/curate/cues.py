"""Stance and qualification from negation and hedge cues (general English, any article)."""

from __future__ import annotations

import re

NEGATION = re.compile(r"\b(?:not(?!\s+only\b)|never|no\s+longer|cannot|NOT|isn['’]t|aren['’]t|wasn['’]t|weren['’]t|"
                      r"doesn['’]t|don['’]t|didn['’]t|can['’]t|won['’]t|neither|nor)\b", re.I)
NOT_ALL = re.compile(r"\bnot\s+(?:all|every|each|necessarily|always)\b", re.I)
HEDGE = re.compile(r"\b(?:often|typically|usually|generally|commonly|frequently|sometimes|can|could|may|might|"
                   r"roughly|arguably|likely|probably|possibly|perhaps|tend|tends|considered|viewed|regarded|"
                   r"somewhat|largely|mostly|approximately|about)\b", re.I)
PARTIAL = re.compile(r"\b(?:some|many|most|several|certain|a\s+few|part\s+of)\b", re.I)
CONDITIONAL = re.compile(r"\b(?:if|unless|when|whenever|provided\s+that|depending\s+on|in\s+some\s+cases)\b", re.I)


def stance(relation_text: str, subject_prefix: str = "") -> tuple[str, str]:
    """(stance, qualification) of a relation whose words between subject and object are
    `relation_text`; `subject_prefix` is what stands right before the subject ("Not all", "Some")."""
    if NOT_ALL.search(subject_prefix) or NOT_ALL.search(relation_text):
        return "denies", ""
    if NEGATION.search(relation_text):
        return "denies", ""
    if re.search(r"\b(?:some|many|most|several|certain)\s*$", subject_prefix, re.I):
        return "qualifies", "partial"
    if CONDITIONAL.search(relation_text) or CONDITIONAL.search(subject_prefix[-40:]):
        return "qualifies", "conditional"
    if HEDGE.search(relation_text):
        return "qualifies", "hedged"
    if PARTIAL.search(relation_text):
        return "qualifies", "partial"
    return "asserts", ""

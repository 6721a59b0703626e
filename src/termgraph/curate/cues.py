"""Stance and qualification from negation and hedge cues (general English, any article)."""

from __future__ import annotations

import re

NEGATION = re.compile(r"\b(?:not(?!\s+only\b)|never|no\s+longer|cannot|NOT|isn['’]t|aren['’]t|wasn['’]t|weren['’]t|"
                      r"doesn['’]t|don['’]t|didn['’]t|can['’]t|won['’]t|neither|nor)\b", re.I)
NOT_ALL = re.compile(r"\bnot\s+(?:all|every|each|necessarily|always)\b", re.I)
# The stance rule (docs/claims-authoring.md): doubt and approximation hedge; frequency and
# proportion hold a statement only usually or in part.
HEDGE = re.compile(r"\b(?:can|could|may|might|roughly|arguably|likely|probably|possibly|perhaps|considered|viewed|"
                   r"regarded|somewhat|approximately|about)\b", re.I)
FREQUENCY = re.compile(r"\b(?:often|typically|usually|generally|commonly|frequently|sometimes|tend|tends|largely|"
                       r"mostly)\b", re.I)
PARTIAL = re.compile(r"\b(?:some|many|most|several|certain|a\s+few|part\s+of)\b", re.I)
# a condition the source says is the only one: "only when", "only if", "but not when", "not otherwise"
ONLY_WHEN = re.compile(r"\bonly\s+(?:when|if|where|while)\b|\bbut\s+not\s+(?:when|if)\b|\bnot\s+otherwise\b", re.I)
CONDITIONAL = re.compile(r"\b(?:if|unless|when|whenever|provided\s+that|depending\s+on|in\s+some\s+cases)\b", re.I)


def stance(relation_text: str, subject_prefix: str = "") -> tuple[str, str]:
    """(stance, qualification) of a relation whose words between subject and object are
    `relation_text`; `subject_prefix` is what stands right before the subject ("Not all", "Some")."""
    if NOT_ALL.search(subject_prefix) or NOT_ALL.search(relation_text):
        return "denies", ""
    if ONLY_WHEN.search(relation_text) or ONLY_WHEN.search(subject_prefix[-40:]):
        return "qualifies", "only-when"
    if NEGATION.search(relation_text):
        return "denies", ""
    if re.search(r"\b(?:some|many|most|several|certain)\s*$", subject_prefix, re.I):
        return "qualifies", "partial"
    if HEDGE.search(relation_text):
        return "qualifies", "hedged"
    if CONDITIONAL.search(relation_text) or CONDITIONAL.search(subject_prefix[-40:]):
        return "qualifies", "conditional"
    if FREQUENCY.search(relation_text) or PARTIAL.search(relation_text):
        return "qualifies", "partial"
    return "asserts", ""

"""Whether a short form is the acronym of a phrase ("LLMs" of "Large Language Models")."""

from __future__ import annotations

import re


def singular(text: str) -> str:
    return text[:-1] if re.fullmatch(r"[A-Z][A-Z0-9-]+s", text) else text


def acronym_of(short: str, long: str) -> bool:
    """"LLMs" / "LLM" for "Large Language Models", "GPT" for "Generative Pre-trained Transformer"."""
    short = singular(short.strip())
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{1,9}", short) or sum(c.isupper() for c in short) < 2:
        return False
    initials = "".join(w[0] for w in re.split(r"[\s-]+", long) if w and w[0].isalnum())
    return initials.upper() == short.upper()

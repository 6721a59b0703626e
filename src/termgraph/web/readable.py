"""Quotes as a reader sees them: mojibake repaired for display, the verbatim text kept in the data.

A quote is a verbatim substring of its source's text as received, so a text that was mis-decoded
before it reached termgraph (UTF-8 read as Windows-1252: "OpenAIâ€™s", "â”€â”€") keeps those
characters in the data and its RDF. Pages show the quote through ftfy's repair of mis-decoded text
(encoding only: quote marks, ligatures, widths and line breaks are left as the source has them).
Sequences ftfy still judges mis-decoded after the repair (a text decoded wrongly twice) are
left out of what is shown, each replaced by an ellipsis, and the page says so.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import ftfy
from ftfy import badness

CONFIG = ftfy.TextFixerConfig(unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
                              fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
                              fix_surrogates=False, remove_control_chars=False, normalization=None)
JOIN_GAP = 2  # characters between two mis-decoded sequences that are taken as part of one run
ELLIPSIS = "…"


@dataclass(frozen=True)
class Shown:
    text: str
    how: str | None  # None: verbatim; "repaired": mis-decoded characters repaired; "elided": some left out


def elide(text: str) -> str:
    """Each run of sequences ftfy judges mis-decoded (runs closer than JOIN_GAP merged) as '…'."""
    spans: list[list[int]] = []
    for m in badness.BADNESS_RE.finditer(text):
        if spans and m.start() - spans[-1][1] <= JOIN_GAP and "\n" not in text[spans[-1][1]:m.start()]:
            spans[-1][1] = m.end()
        else:
            spans.append([m.start(), m.end()])
    for start, end in reversed(spans):
        # take in what is left of the run on its line: letters of the mis-decoding, not words
        while end < len(text) and not text[end].isspace() and not text[end].isascii():
            end += 1
        while start > 0 and not text[start - 1].isspace() and not text[start - 1].isascii():
            start -= 1
        text = text[:start] + ELLIPSIS + text[end:]
    return re.sub(f"{ELLIPSIS}(\\s*{ELLIPSIS})+", ELLIPSIS, text) if spans else text


@functools.lru_cache(maxsize=4096)
def shown(text: str) -> Shown:
    """The quote as a page shows it, and whether (and how) that differs from the verbatim text."""
    if not ftfy.is_bad(text):
        return Shown(text, None)
    fixed = ftfy.fix_text(text, CONFIG)
    if not ftfy.is_bad(fixed):
        return Shown(fixed, "repaired")
    return Shown(elide(fixed), "elided")


def holds_mojibake(text: str) -> bool:
    return ftfy.is_bad(text)

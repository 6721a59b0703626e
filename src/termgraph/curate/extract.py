"""An article's text from a file: plain UTF-8 text as it is, HTML reduced to its main text.

HTML goes through trafilatura (maintained, offline, built for exactly this: main content without
menus, footers and scripts, keeping paragraphs, lists and tables on their own lines), rather than
a hand-written BeautifulSoup walk that would keep boilerplate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from termgraph.errors import TermgraphError

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)


class SourceInputError(TermgraphError):
    """An article that cannot be added (unreadable, empty, a duplicate, bad metadata)."""

    status = 400
    exit_code = 2


@dataclass(frozen=True)
class Article:
    text: str
    extractor: str | None  # e.g. "trafilatura 2.0.0" when the text was reduced from HTML


def is_html(path: Path, data: bytes) -> bool:
    return path.suffix.lower() in HTML_SUFFIXES or bool(HTML_START.match(data[:2048]))


def from_html(path: Path, data: bytes) -> Article:
    import trafilatura

    text = trafilatura.extract(data, include_tables=True,  # bytes: trafilatura detects the encoding
                               include_comments=False, include_links=False, favor_recall=True)
    if not text or not text.strip():
        raise SourceInputError(f"{path}: no article text found in this HTML page; save the article's "
                               "text as a .txt file and add that instead")
    return Article(newlines(text.strip()) + "\n", f"trafilatura {trafilatura.__version__}")


def read_article(path: Path) -> Article:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceInputError(f"{path}: cannot read the article ({exc.strerror})") from None
    if is_html(path, data):
        return from_html(path, data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceInputError(f"{path}: not UTF-8 text (byte {exc.start}); convert it, e.g. "
                               f"iconv -f latin1 -t utf-8 {path.name} > article.txt") from None
    if not text.strip():
        raise SourceInputError(f"{path}: the article is empty")
    if "\x00" in text:
        raise SourceInputError(f"{path}: a binary file, not text; give the article as .txt or .html")
    return Article(newlines(text), None)


def newlines(text: str) -> str:
    """Line ends as \\n, so that the kept text reads the same however it is opened."""
    return text.replace("\r\n", "\n").replace("\r", "\n")

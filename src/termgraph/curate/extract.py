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
# Fewer words than this in a page's extracted main text: the extractor found a menu or a cookie
# notice, not an article (the shortest real article the project holds has some 80 words).
MIN_HTML_WORDS = 30
# Byte-order marks of the Unicode encodings that are not UTF-8 (UTF-32 first: its LE mark starts
# with UTF-16's).
BOMS = [(b"\xff\xfe\x00\x00", "UTF-32LE"), (b"\x00\x00\xfe\xff", "UTF-32BE"),
        (b"\xff\xfe", "UTF-16LE"), (b"\xfe\xff", "UTF-16BE")]


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
    words = len(text.split())
    if words < MIN_HTML_WORDS:
        raise SourceInputError(f"{path}: the main text found in this HTML page is only {words} word(s) "
                               f"({len(text.strip())} characters; at least {MIN_HTML_WORDS} words expected), "
                               "likely a menu or a notice; save the article's text as a .txt file and add that instead")
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
        raise SourceInputError(not_utf8(path, data, exc.start)) from None
    if not text.strip():
        raise SourceInputError(f"{path}: the article is empty")
    if "\x00" in text:  # valid UTF-8, but UTF-16 text or a binary file
        raise SourceInputError(not_utf8(path, data, text.index("\x00")))
    return Article(newlines(text), None)


def utf16_guess(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: mostly-ASCII text has a zero byte in every other place."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.4 * len(sample[1::2]) and even < 0.05 * len(sample[0::2]):
        return "UTF-16LE"
    if even > 0.4 * len(sample[0::2]) and odd < 0.05 * len(sample[1::2]):
        return "UTF-16BE"
    return None


def binary(data: bytes) -> bool:
    """Zero bytes, or many control characters: not text in any single-byte encoding."""
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 32 and b not in b"\t\n\r\f")
    return b"\x00" in sample or controls > 0.05 * len(sample)


def not_utf8(path: Path, data: bytes, at: int) -> str:
    """The refusal of a file that is not UTF-8, with the conversion that fits what it is."""
    encoding = next((name for bom, name in BOMS if data.startswith(bom)), None) or utf16_guess(data)
    if encoding:
        how = "with a byte-order mark" if any(data.startswith(b) for b, _ in BOMS) else "by its zero bytes"
        return (f"{path}: {encoding} text (recognised {how}), not UTF-8; convert it, e.g. "
                f"iconv -f {encoding} -t UTF-8 {path.name} > article.txt")
    if binary(data):
        return f"{path}: a binary file, not text; give the article as .txt or .html"
    return (f"{path}: not UTF-8 text (byte {at}); if it is Latin-1 or Windows-1252, convert it, e.g. "
            f"iconv -f WINDOWS-1252 -t UTF-8 {path.name} > article.txt")


def newlines(text: str) -> str:
    """Line ends as \\n, so that the kept text reads the same however it is opened."""
    return text.replace("\r\n", "\n").replace("\r", "\n")

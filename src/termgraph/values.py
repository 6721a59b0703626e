"""RDF terms as Python values, for the Python API (termgraph.query)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

XSD = "http://www.w3.org/2001/XMLSchema#"


class IRI(str):
    """An IRI: a str (its text), told apart from a plain string literal by its type."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"IRI({str.__repr__(self)})"


class BlankNode(str):
    __slots__ = ()

    def __repr__(self) -> str:
        return f"BlankNode({str.__repr__(self)})"


class LangString(str):
    """A literal with a language tag: its text, and `.lang`."""

    def __new__(cls, text: str, lang: str):
        obj = super().__new__(cls, text)
        obj.lang = lang
        return obj

    def __reduce__(self):
        return (LangString, (str(self), self.lang))

    def __repr__(self) -> str:
        return f"{str.__repr__(self)}@{self.lang}"


class TypedLiteral(str):
    """A literal of a datatype Python has no type for: its text, and `.datatype` (an IRI)."""

    def __new__(cls, text: str, datatype: str):
        obj = super().__new__(cls, text)
        obj.datatype = IRI(datatype)
        return obj

    def __reduce__(self):
        return (TypedLiteral, (str(self), str(self.datatype)))

    def __repr__(self) -> str:
        return f"{str.__repr__(self)}^^<{self.datatype}>"


INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                              "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
                              "unsignedShort", "unsignedByte")}


def boolean(text: str) -> bool:
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(text)


READERS = {
    **{t: int for t in INTEGERS},
    XSD + "decimal": Decimal,
    XSD + "double": float,
    XSD + "float": float,
    XSD + "boolean": boolean,
    XSD + "date": dt.date.fromisoformat,
    XSD + "dateTime": lambda t: dt.datetime.fromisoformat(t.replace("Z", "+00:00")),
    XSD + "string": str,
}


def python(term):
    """A pyoxigraph term (or None for an unbound variable) as a Python value (see termgraph's doc)."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return BlankNode(term.value)
    if term.language:
        return LangString(term.value, term.language)
    read = READERS.get(term.datatype.value)
    if read is None:
        return TypedLiteral(term.value, term.datatype.value)
    try:
        return read(term.value)
    except (ValueError, InvalidOperation):  # an ill-typed literal keeps its text and datatype
        return TypedLiteral(term.value, term.datatype.value)

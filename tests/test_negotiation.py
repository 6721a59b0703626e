"""The response policy (sparql/protocol.py): _mediatype over format over Accept, q-values,
specificity, aliases, and 406 naming what is on offer."""

import pytest

from termgraph.errors import NotAcceptable
from termgraph import formats
from termgraph.sparql import protocol

SOLUTIONS = formats.media_types(formats.SOLUTIONS)
GRAPH = formats.media_types(formats.GRAPH)
TERM = ["text/html"] + GRAPH


@pytest.mark.parametrize("accept,offered,expected", [
    (None, SOLUTIONS, "application/sparql-results+json"),
    ("", GRAPH, "text/turtle"),
    ("*/*", TERM, "text/html"),
    ("text/*", SOLUTIONS, "text/csv"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", SOLUTIONS, "application/sparql-results+xml"),
    ("application/json", SOLUTIONS, "application/sparql-results+json"),
    ("application/json", GRAPH, "application/ld+json"),
    ("application/json", TERM, "application/ld+json"),
    ("application/xml", SOLUTIONS, "application/sparql-results+xml"),
    ("text/xml", SOLUTIONS, "application/sparql-results+xml"),
    ("application/xml", GRAPH, "application/rdf+xml"),
    ("application/x-turtle", GRAPH, "text/turtle"),
    ("text/n3", GRAPH, "text/n3"),
    ("text/plain", GRAPH, "application/n-triples"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", TERM, "text/html"),
    ("text/turtle;q=0.9, text/html;q=0.2", TERM, "text/turtle"),
    ("text/*;q=0.1, text/turtle", TERM, "text/turtle"),  # the most specific range decides
    ("text/turtle;q=0, */*", GRAPH, "application/n-triples"),  # q=0: not acceptable
    ("application/ld+json, text/turtle", GRAPH, "text/turtle"),  # a tie: the server's order
    ("text/turtle;q=abc, application/n-triples;q=0.5", GRAPH, "application/n-triples"),  # a bad q is 0
])
def test_accept(accept, offered, expected):
    assert protocol.negotiate(accept, offered) == expected


@pytest.mark.parametrize("accept,offered", [
    ("image/png", SOLUTIONS),
    ("text/turtle", SOLUTIONS),
    ("application/sparql-results+json;q=0", SOLUTIONS),
    ("application/trig", GRAPH),
])
def test_406_names_what_is_offered(accept, offered):
    with pytest.raises(NotAcceptable) as info:
        protocol.negotiate(accept, offered)
    assert str(info.value) == (f"none of the accepted types ({accept}) is available; this returns: "
                               + ", ".join(offered))
    assert info.value.headers() == {"Vary": "Accept"}


@pytest.mark.parametrize("override,expected", [
    ("turtle", "text/turtle"), ("TTL", "text/turtle"), ("text/turtle", "text/turtle"),
    ("application/x-turtle", "text/turtle"), ("jsonld", "application/ld+json"), ("nt", "application/n-triples"),
])
def test_an_override_beats_accept(override, expected):
    assert protocol.negotiate("application/rdf+xml", GRAPH, override) == expected


def test_an_override_not_on_offer_is_406():
    with pytest.raises(NotAcceptable, match="format csv is not available here; use one of: text/turtle"):
        protocol.negotiate("*/*", GRAPH, "csv")


@pytest.mark.parametrize("params,expected", [
    ({}, None),
    ({"format": "csv"}, "csv"),
    ({"_mediatype": "text/turtle"}, "text/turtle"),
    ({"_mediatype": "text/turtle", "format": "csv"}, "text/turtle"),
    ({"_mediatype": "", "format": "csv"}, "csv"),
    ([("format", "json"), ("_mediatype", "xml")], "xml"),
])
def test_mediatype_over_format(params, expected):
    assert protocol.override_of(params) == expected


@pytest.mark.parametrize("form,accept,html,expected", [
    ("SELECT", None, True, "application/sparql-results+json"),
    ("SELECT", "text/html,*/*;q=0.8", True, "text/html"),
    ("SELECT", "text/html,*/*;q=0.8", False, "application/sparql-results+json"),
    ("ASK", "text/*", False, "text/csv"),
    ("ASK", "*/*", False, "application/sparql-results+json"),
    ("CONSTRUCT", "*/*", True, "text/turtle"),
    ("DESCRIBE", "application/json", False, "application/ld+json"),
])
def test_result_type(form, accept, html, expected):
    assert protocol.result_type(accept, form, html=html) == expected


def test_result_types_are_cached_only_for_headers_of_ordinary_length():
    protocol.cached_result_type.cache_clear()
    long_accept = ", ".join(f"application/x-{i};q=0.1" for i in range(60)) + ", text/turtle"
    assert len(long_accept) > protocol.CACHED_UP_TO
    assert protocol.result_type(long_accept, "CONSTRUCT") == "text/turtle"
    assert protocol.result_type("text/turtle", "CONSTRUCT") == "text/turtle"
    assert protocol.result_type("text/turtle", "CONSTRUCT") == "text/turtle"
    info = protocol.cached_result_type.cache_info()
    assert (info.currsize, info.hits) == (1, 1)  # the short header only, asked twice


@pytest.mark.parametrize("accept,html", [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),  # a browser
    ("application/json", False),
    ("*/*", False),
    ("", False),
    ("text/html;q=0.5, application/json;q=0.9", False),
    ("TEXT/HTML;q=0.9, application/json;q=0.9", True),
    ("text/html;q=abc", False),  # an unreadable q-value counts as 0, as everywhere
])
def test_errors_are_html_for_a_client_that_prefers_it_read_by_the_one_accept_parser(accept, html):
    from starlette.requests import Request

    from termgraph.web.render import prefers_html

    request = Request({"type": "http", "headers": [(b"accept", accept.encode())]})
    assert prefers_html(request) is html

"""Reading a SPARQL 1.1 Protocol request (sparql/protocol.py), as a pure function: the exact
request read, or the exact error."""

import pytest

from termgraph.errors import (BadRequest, ForbiddenQuery, PayloadTooLarge, UnsupportedMediaType,
                              UriTooLong)
from termgraph.sparql.protocol import Dataset, Limits, QueryRequest, media_type, parse_request

Q = "ASK {}"
G1, G2 = "http://e/g1", "http://e/g2"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"


@pytest.mark.parametrize("method,qs,ctype,body,expected", [
    ("GET", "query=ASK+%7B%7D", None, b"", QueryRequest(Q, Dataset(), None)),
    ("HEAD", "query=ASK+%7B%7D", None, b"", QueryRequest(Q, Dataset(), None)),
    ("GET", "", None, b"", None),
    ("GET", "format=csv", None, b"", None),
    ("GET", f"query=ASK+%7B%7D&default-graph-uri={G1}&named-graph-uri={G2}&default-graph-uri={G2}", None, b"",
     QueryRequest(Q, Dataset((G1, G2), (G2,)), None)),
    ("GET", "query=ASK+%7B%7D&format=csv", None, b"", QueryRequest(Q, Dataset(), "csv")),
    ("GET", "query=ASK+%7B%7D&format=csv&_mediatype=text/tab-separated-values", None, b"",
     QueryRequest(Q, Dataset(), "text/tab-separated-values")),
    ("POST", "", FORM, b"query=ASK+%7B%7D", QueryRequest(Q, Dataset(), None)),
    ("POST", f"default-graph-uri={G1}", FORM + "; charset=UTF-8", b"query=ASK+%7B%7D&format=json",
     QueryRequest(Q, Dataset((G1,), ()), "json")),
    ("POST", f"named-graph-uri={G2}", DIRECT, Q.encode(), QueryRequest(Q, Dataset((), (G2,)), None)),
    ("POST", "", 'application/sparql-query; charset="utf-8"', "ASK { FILTER(\"é\") }".encode(),
     QueryRequest("ASK { FILTER(\"é\") }", Dataset(), None)),
])
def test_requests_read(method, qs, ctype, body, expected):
    assert parse_request(method, qs, ctype, body) == expected


@pytest.mark.parametrize("method,qs,ctype,body,error,message", [
    ("GET", "query=a&query=b", None, b"", BadRequest, "2 'query' parameters: send exactly one"),
    ("GET", "query=a&default-graph-uri=not%20an%20iri", None, b"", BadRequest,
     "default-graph-uri='not an iri' is not an absolute IRI"),
    ("GET", "update=CLEAR+ALL", None, b"", ForbiddenQuery,
     "this endpoint is read-only: SPARQL Update is not accepted"),
    ("POST", "", "application/sparql-update", b"CLEAR ALL", ForbiddenQuery,
     "this endpoint is read-only: SPARQL Update is not accepted"),
    ("POST", "", FORM, b"update=CLEAR+ALL", ForbiddenQuery,
     "this endpoint is read-only: SPARQL Update is not accepted"),
    ("POST", "", FORM, b"format=json", BadRequest, "the form has no 'query' parameter"),
    ("POST", "query=a", DIRECT, b"ASK {}", BadRequest, "a query in both the URL and the body: send one"),
    ("POST", "", DIRECT, b"\xff\xfe", BadRequest, "the query is not UTF-8 (byte 0); send UTF-8"),
    ("POST", "", DIRECT + "; charset=latin-1", b"ASK {}", UnsupportedMediaType,
     "charset=latin-1: the body must be UTF-8"),
    ("POST", "", "text/plain", b"ASK {}", UnsupportedMediaType,
     "text/plain: POST a query as application/sparql-query or application/x-www-form-urlencoded"),
    ("POST", "", None, b"ASK {}", UnsupportedMediaType,
     "no Content-Type: POST a query as application/sparql-query or application/x-www-form-urlencoded"),
    ("PUT", "", DIRECT, b"ASK {}", BadRequest, "PUT is not a SPARQL protocol method: use GET or POST"),
])
def test_bad_requests(method, qs, ctype, body, error, message):
    with pytest.raises(error) as info:
        parse_request(method, qs, ctype, body)
    assert str(info.value).startswith(message)


def test_limits():
    limits = Limits(max_body_bytes=10, max_query_string=20)
    with pytest.raises(UriTooLong, match="longer than 20 bytes; POST the query instead"):
        parse_request("GET", "query=" + "x" * 20, None, b"", limits)
    with pytest.raises(PayloadTooLarge, match="larger than 10 bytes"):
        parse_request("POST", "", DIRECT, b"ASK { } # padding", limits)
    assert parse_request("POST", "", DIRECT, b"ASK {}", limits) == QueryRequest(Q, Dataset(), None)


@pytest.mark.parametrize("header,expected", [
    (None, ("", {})),
    ("application/sparql-query", ("application/sparql-query", {})),
    ("Application/SPARQL-Query ; Charset=UTF-8", ("application/sparql-query", {"charset": "UTF-8"})),
    ('text/turtle;q=0.5;profile="x"', ("text/turtle", {"q": "0.5", "profile": "x"})),
])
def test_media_type(header, expected):
    assert media_type(header) == expected

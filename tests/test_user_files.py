"""A user's data file stays the user's (issue #27 problem 8): it cannot write into termgraph's own
graphs, its default-graph triples live in its own graph, its nesting and literals are bounded,
any file name works, and a UTF-8 byte-order mark is accepted."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from termgraph import namespaces as ns
from termgraph.graph import file_bounds
from termgraph.graph.files import user_file
from termgraph.graph.load import load_file
from termgraph.errors import DataSyntaxError


def loaded(path) -> ox.Store:
    store = ox.Store()
    load_file(store, user_file(path))
    return store


@pytest.mark.parametrize("graph", [ns.GRAPH_CURATED, ns.GRAPH_DISAGREEMENTS, ns.GRAPH_CLAIMS + "004"])
def test_a_graph_of_termgraphs_own_is_refused_with_one_line(tmp_path, graph):
    path = tmp_path / "extra.trig"
    path.write_text(f"<{graph}> {{ <http://e/s> <http://www.w3.org/2000/01/rdf-schema#label> \"mine\" }}\n")
    with pytest.raises(DataSyntaxError) as info:
        loaded(path)
    assert str(info.value) == (f"{path}: it names the graph <{graph}>, which is termgraph's own; a file's data "
                               "goes into its own graph: remove the graph name")


def test_default_graph_triples_of_a_quad_file_live_in_the_files_graph(tmp_path):
    path = tmp_path / "extra.trig"
    path.write_text("<http://e/bert> a <http://e/generative-ai> .\n<http://e/g> { <http://e/a> <http://e/b> <http://e/c> }\n")
    store = loaded(path)
    assert not list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert {q.graph_name.value for q in store} == {ns.GRAPH_USER + "extra", ns.GRAPH_USER + "extra/graph/http%3A%2F%2Fe%2Fg"}


@pytest.mark.parametrize("name, text", [
    ("extra.trig", '<http://e/a> <http://e/b> "default" .\n<http://e/g> { <http://e/a> <http://e/b> "named" }\n'
                   '<g> { <http://e/a> <http://e/b> "relative" }\n_:x { <http://e/a> <http://e/b> "blank" }\n'),
    ("extra.nq", '<http://e/a> <http://e/b> "default" .\n<http://e/a> <http://e/b> "named" <http://e/g> .\n'
                 '<http://e/a> <http://e/b> "blank" _:x .\n'),
])
def test_every_graph_of_a_quad_file_is_moved_under_the_files_own_graph(tmp_path, name, text):
    """Issue #27 item 6: other named graphs of a TriG or N-Quads file kept their own names, so the
    pages showed what they say as termgraph's own words. Each is now under the file's graph, its
    name in the file kept at the end (a blank node by its canonical label)."""
    from termgraph.graph.files import user_graph

    path = tmp_path / name
    path.write_text(text)
    store = loaded(path)
    graphs = {q.object.value: q.graph_name.value for q in store}
    mine = ns.GRAPH_USER + "extra"
    assert graphs == {"default": mine, "named": mine + "/graph/http%3A%2F%2Fe%2Fg", "blank": mine + "/graph/_%3Ac14n0",
                      **({"relative": mine + "/g"} if name.endswith(".trig") else {})}
    assert [user_graph(graphs[k]) for k in ("default", "named", "blank")] == [
        ("extra", None), ("extra", "http://e/g"), ("extra", "_:c14n0")]
    assert user_graph(ns.GRAPH_CURATED) is None and user_graph("http://e/g") is None
    again = tmp_path / "again" / name
    again.parent.mkdir()
    again.write_text(text.replace("_:x", "_:other"))
    assert {q.graph_name.value for q in loaded(again)} == set(graphs.values())  # the same on every load


def test_a_users_blank_nodes_become_stable_iris_as_the_file_is_loaded(tmp_path):
    """The blank nodes of each graph a user's file fills are replaced by IRIs under that graph
    (skolem.py) as the file is added, not afterwards in the store; the same IRIs whatever the
    file calls its blank nodes, and the same as skolemising the graphs in a store gives."""
    from termgraph.graph import skolem

    text = ('<http://e/a> <http://e/p> _:x . _:x <http://e/q> [ <http://e/r> "1" ] .\n'
            '<http://e/g> { <http://e/a> <http://e/p> _:x . <http://e/b> <http://e/p> "plain" }\n'
            '_:h { <http://e/c> <http://e/p> _:y . _:y <http://e/q> "2" }\n')
    path = tmp_path / "t.trig"
    path.write_text(text)
    mine = ns.GRAPH_USER + "t"
    named, blank = mine + "/graph/http%3A%2F%2Fe%2Fg", mine + "/graph/_%3Ac14n0"
    assert sorted(map(str, loaded(path))) == [
        f"<http://e/a> <http://e/p> <{mine}/.well-known/genid/c14n0> <{mine}>",
        f"<http://e/a> <http://e/p> <{named}/.well-known/genid/c14n0> <{named}>",
        f'<http://e/b> <http://e/p> "plain" <{named}>',
        f"<http://e/c> <http://e/p> <{blank}/.well-known/genid/c14n0> <{blank}>",
        f"<{mine}/.well-known/genid/c14n0> <http://e/q> <{mine}/.well-known/genid/c14n1> <{mine}>",
        f'<{mine}/.well-known/genid/c14n1> <http://e/r> "1" <{mine}>',
        f'<{blank}/.well-known/genid/c14n0> <http://e/q> "2" <{blank}>',
    ]
    again = tmp_path / "again" / "t.trig"
    again.parent.mkdir()
    again.write_text(text.replace("_:x", "_:other").replace("_:y", "_:z"))
    assert set(map(str, loaded(again))) == set(map(str, loaded(path)))
    unskolemised = ox.Store()  # the same blank nodes again, in a store, skolemised there (as termgraph's own are)
    unskolemised.extend(skolem.unskolemise(loaded(path)))
    skolem.skolemise(unskolemised)
    assert set(map(str, unskolemised)) == set(map(str, loaded(path)))


def test_a_users_files_graphs_are_described_as_the_files(tmp_path):
    from termgraph.graph.void import void_triples

    path = tmp_path / "extra.trig"
    path.write_text('<http://e/g> { <http://e/a> <http://e/b> "c" }\n_:x { <http://e/a> <http://e/b> "d" }\n')
    store = loaded(path)
    sizes = {g.value: 1 for g in store.named_graphs()}
    said = {(t.subject.value, t.predicate.value, t.object.value) for t in void_triples(sizes, store)
            if t.subject.value.startswith(ns.GRAPH_USER) and t.predicate.value != ns.RDF + "type"}
    moved, blank = ns.GRAPH_USER + "extra/graph/http%3A%2F%2Fe%2Fg", ns.GRAPH_USER + "extra/graph/_%3Ac14n0"
    assert said == {
        (moved, ns.DCTERMS + "title", "A graph of the user's file extra, named <http://e/g> in the file"),
        (moved, ns.VOID + "triples", "1"),
        (moved, ns.PROV + "wasDerivedFrom", "http://e/g"),
        (blank, ns.DCTERMS + "title", "A graph of the user's file extra, named by a blank node in the file"),
        (blank, ns.VOID + "triples", "1"),
    }


def test_any_file_name_works_and_relative_iris_do_not_publish_the_path(tmp_path):
    path = tmp_path / "odd stem <x>.ttl"
    path.write_text("<s> <http://e/p> <o> .\n")
    store = loaded(path)
    [quad] = list(store)
    assert quad.graph_name.value == ns.GRAPH_USER + "odd%20stem%20%3Cx%3E"
    assert quad.subject.value == ns.GRAPH_USER + "odd%20stem%20%3Cx%3E/s"
    assert str(tmp_path) not in quad.subject.value


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.ttl"
    path.write_bytes(b"\xef\xbb\xbf<http://e/s> <http://e/p> \"o\" .\n")
    assert len(loaded(path)) == 1


@pytest.mark.parametrize("suffix,text", [
    (".ttl", "<http://e/s> <http://e/p> " + "[ <http://e/p> " * 300 + "1" + " ]" * 300 + " .\n"),
    (".ttl", "<http://e/s> <http://e/p> " + "( " * 300 + ")" * 300 + " .\n"),
    (".jsonld", '{"@id": "http://e/s", "http://e/p": ' + '{"http://e/p": ' * 300 + '"x"' + "}" * 301 + "\n"),
])
def test_deep_nesting_is_refused_with_one_line(tmp_path, suffix, text):
    path = tmp_path / ("deep" + suffix)
    path.write_text(text)
    with pytest.raises(DataSyntaxError, match=r"line 1: brackets nest more than 256 deep"):
        loaded(path)


def test_nesting_in_strings_iris_and_comments_does_not_count(tmp_path):
    path = tmp_path / "fine.ttl"
    path.write_text('# ' + "[" * 400 + '\n<http://e/s> <http://e/p> "' + "(" * 400 + '", """' + "{" * 400
                    + '""" , [ <http://e/q> ( 1 2 ) ] .\n')
    assert len(loaded(path)) == 8  # two strings; the blank node, its list (two cells)


def test_a_huge_literal_is_refused_with_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(file_bounds, "MAX_LITERAL", 1000)
    path = tmp_path / "big.ttl"
    path.write_text('<http://e/s> <http://e/p> "ok" .\n<http://e/s> <http://e/p> "' + "x" * 1001 + '" .\n')
    with pytest.raises(DataSyntaxError, match=r"big.ttl, line 2: a literal is longer than 1000 characters"):
        loaded(path)


@pytest.mark.parametrize("iri,link", [
    (ns.BASE + "concept/x", "/concept/x"),
    (ns.BASE + "/evil.example/x", "#"),  # would be the protocol-relative link //evil.example/x
    (ns.BASE + "\\evil.example/x", "#"),  # a backslash reads as a slash
    ("https://example.org/x", "https://example.org/x"),
    ("javascript:alert(1)", "#"),
])
def test_a_link_from_a_files_iri_never_leaves_for_another_host_unseen(iri, link):
    """Issue #27 problem 9: a protocol-relative link (//host/…) from a user's file was a link."""
    from termgraph.web.render import local_path

    assert local_path(iri) == link


def test_a_disputed_statement_in_a_users_file_stays_the_files_and_is_no_plain_fact(tmp_path, small_root):
    """004 says BERT is generative AI and 002 that it is not: a file that says it plainly keeps it in
    its own graph, and the served default graph still holds no disputed statement as a fact."""
    from termgraph.graph import load
    from termgraph.paths import default_root
    from termgraph.settings import Settings

    path = tmp_path / "mine.trig"
    bert, gen = f"<{ns.SYSTEM}bert>", f"<{ns.CONCEPT}generative-ai>"
    path.write_text(f"{bert} a {gen} .\n<http://e/s> <http://e/p> <http://e/o> .\n")
    root = tmp_path / "root"
    import shutil
    shutil.copytree(small_root, root)
    for name in ("002", "004"):
        for ext in (".csv", ".ttl"):
            shutil.copy(default_root() / "data/claims" / (name + ext), root / "data/claims")
    data = load.load(Settings(root=root, extra_files=(path,)))
    default, mine = ox.DefaultGraph(), ox.NamedNode(ns.GRAPH_USER + "mine")
    statement = (ox.NamedNode(ns.SYSTEM + "bert"), ox.NamedNode(ns.RDF + "type"), ox.NamedNode(ns.CONCEPT + "generative-ai"))
    assert list(data.store.quads_for_pattern(*statement, mine))  # the file's own words, in its graph
    assert not list(data.store.quads_for_pattern(*statement, default))  # never a plain fact
    assert list(data.store.quads_for_pattern(ox.NamedNode("http://e/s"), None, None, default))  # the rest is


def test_the_pages_attribute_a_quad_files_named_graph_to_the_file(tmp_path, small_root):
    """Issue #27 item 6: a definition a TriG file gave in a graph of its own showed on the term's
    page as "Curated definition (termgraph's own words…)". It shows as the file's, and the
    graph's page says whose it is."""
    from tests.conftest import TEST_SETTINGS, app_client, inline_state
    from termgraph.settings import Settings

    path = tmp_path / "extra.trig"
    path.write_text(f'<http://e/g> {{ <{ns.CONCEPT}llm> <{ns.SKOS}definition> "a definition of the file\'s" }}\n')
    state = inline_state(Settings(root=small_root, extra_files=(path,), **TEST_SETTINGS))
    try:
        with app_client(state) as client:
            page = client.get("/concept/llm", headers={"Accept": "text/html"}).text
            graph = client.get("/graph/user/extra/graph/http%3A%2F%2Fe%2Fg", headers={"Accept": "text/html"})
    finally:
        state.close()
    assert "Curated definition" not in page
    assert ('<section class="from-file"><h2>From the data file “extra”</h2>\n<p class="muted">A file added to this '
            "server by whoever runs it: neither termgraph's own words nor one of its sources.</p>\n"
            "<ul><li>definition: a definition of the file&#39;s</li></ul>\n</section>") in page
    assert graph.status_code == 200 and ("<p>A graph of the file extra, added by the operator (named "
                                         "&lt;http://e/g&gt; in the file). 1 triple.</p>") in graph.text


XML_HEAD = ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:e="http://e/">\n')


def nested_xml(depth: int) -> str:
    """rdf:RDF, a description, then `depth` property-and-blank-node pairs: 2 + 2 × depth + 1 elements deep."""
    return (XML_HEAD + '<rdf:Description rdf:about="http://e/s">\n' + "<e:p><rdf:Description>" * depth
            + "<e:q>x</e:q>" + "</rdf:Description></e:p>" * depth + "\n</rdf:Description>\n</rdf:RDF>\n")


def test_deep_rdf_xml_is_refused_with_one_line(tmp_path):
    """The RDF/XML parser's time grows with the square of the nesting (30,000 deep: 13 s)."""
    path = tmp_path / "deep.rdf"
    path.write_text(nested_xml(127))  # 2 + 254 + 1 = 257 elements deep
    with pytest.raises(DataSyntaxError) as info:
        loaded(path)
    assert str(info.value) == (f"{path}, line 4: XML elements nest more than 256 deep (blank nodes or literals "
                               "inside each other); flatten the data")
    fine = tmp_path / "fine.rdf"
    fine.write_text(nested_xml(126))  # 255 deep
    assert len(loaded(fine)) == 127


def test_a_long_rdf_xml_literal_is_refused_with_one_line(tmp_path, monkeypatch):
    """The Turtle family's literal bound holds for RDF/XML too: in a text (which expat hands over
    in pieces) and in an attribute value."""
    from termgraph.graph import file_bounds

    monkeypatch.setattr(file_bounds, "MAX_LITERAL", 100_000)
    body = '<rdf:Description rdf:about="http://e/s">\n<e:p>{}</e:p>\n</rdf:Description>\n</rdf:RDF>\n'
    for name, line, text in (("text", 4, body.format("x" * 100_001)),
                             ("attribute", 3, '<rdf:Description rdf:about="http://e/s" e:p="{}"/>\n</rdf:RDF>\n'.format("y" * 100_001))):
        path = tmp_path / f"{name}.rdf"
        path.write_text(XML_HEAD + text)
        with pytest.raises(DataSyntaxError) as info:
            loaded(path)
        assert str(info.value) == f"{path}, line {line}: a literal is longer than 100000 characters; keep long texts in files of their own"
    fine = tmp_path / "fine.rdf"
    fine.write_text(XML_HEAD + body.format("x" * 100_000))
    assert len(loaded(fine)) == 1


def test_rdf_xml_that_is_not_well_formed_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "broken.rdf"
    path.write_text(XML_HEAD + '<rdf:Description rdf:about="http://e/s">\n<e:p>x</e:q>\n</rdf:RDF>\n')
    with pytest.raises(DataSyntaxError) as info:
        loaded(path)
    assert str(info.value) == f"{path}, line 4: not well-formed XML: mismatched tag"

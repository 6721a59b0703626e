"""Every RDF file parses, with rdflib and with pyoxigraph, and the loader names bad files. The tests
of a user's own file load it beside conftest's small_root (a third of the data, the same loader)."""

import pyoxigraph as ox
import pytest
import rdflib

from termgraph.graph import load as loader
from termgraph.errors import DataSyntaxError
from termgraph.graph.files import project_files, shapes_files
from termgraph.settings import Settings


def all_rdf_files(root):
    return [f.path for f in project_files(root)] + shapes_files(root)


def test_every_file_parses_with_two_parsers(root):
    files = all_rdf_files(root)
    assert len(files) >= 10
    for path in files:
        assert len(rdflib.Graph().parse(path, format="turtle")) > 0, path
        assert len(list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))) > 0, path


def test_a_syntax_error_names_the_file_and_line(tmp_path, small_root):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n')
    settings = Settings(root=small_root, extra_files=(bad,))
    with pytest.raises(DataSyntaxError) as info:
        loader.load(settings)
    assert "bad.ttl" in str(info.value) and "line 3" in str(info.value)


def test_one_named_graph_per_file_group_and_per_source(data):
    sizes = data.graph_sizes()
    base = "https://w3id.org/termgraph/"
    for name in ["graph/ontology", "graph/curated", "graph/disagreements"] + [f"graph/claims/00{i}" for i in range(5)] \
            + [f"graph/view/00{i}" for i in range(5)]:
        assert sizes.get(base + name, 0) > 0, name
    # the default graph is built at load (termgraph.graph.derive), not a file's
    assert len(list(data.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))) == data.default_graph_size() > 0


def test_a_user_file_becomes_its_own_named_graph(tmp_path, small_root):
    extra = tmp_path / "my-source.ttl"
    extra.write_text('<http://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n')
    data = loader.load(Settings(root=small_root, extra_files=(extra,)))
    assert data.graph_sizes()["https://w3id.org/termgraph/graph/user/my-source"] == 1


@pytest.mark.parametrize("name,text", [
    ("extra.trig", '<http://example.org/g1> { <http://example.org/a> <http://example.org/p> "1" . }\n'
                   '<http://example.org/b> <http://example.org/p> "2" .\n'),
    ("extra.nq", '<http://example.org/a> <http://example.org/p> "1" <http://example.org/g1> .\n'
                 '<http://example.org/b> <http://example.org/p> "2" .\n'),
])
def test_a_user_quad_file_keeps_its_graphs_under_its_own_graph(tmp_path, small_root, name, text):
    extra = tmp_path / name
    extra.write_text(text)
    sizes = loader.load(Settings(root=small_root, extra_files=(extra,))).graph_sizes()
    assert "http://example.org/g1" not in sizes  # (moved under the file's graph: graph/files.py)
    assert sizes["https://w3id.org/termgraph/graph/user/extra/graph/http%3A%2F%2Fexample.org%2Fg1"] == 1
    assert sizes["https://w3id.org/termgraph/graph/user/extra"] == 1  # its default-graph triples


@pytest.mark.parametrize("name,text", [
    ("extra.jsonld", '{"@id": "http://example.org/a", "http://example.org/p": "1"}'),
    ("extra.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
                  '<rdf:Description rdf:about="http://example.org/a"><ex:p>1</ex:p></rdf:Description></rdf:RDF>'),
    ("extra.nt", '<http://example.org/a> <http://example.org/p> "1" .\n'),
])
def test_every_user_file_format_loads(tmp_path, small_root, name, text):
    extra = tmp_path / name
    extra.write_text(text)
    sizes = loader.load(Settings(root=small_root, extra_files=(extra,))).graph_sizes()
    assert sizes["https://w3id.org/termgraph/graph/user/extra"] == 1


def test_a_json_ld_file_with_a_remote_context_opens_no_connection(tmp_path, small_root, listener):
    url, seen = listener
    extra = tmp_path / "remote.jsonld"
    extra.write_text('{"@context": "%scontext.jsonld", "@id": "http://example.org/a", "name": "x"}' % url)
    try:
        loader.load(Settings(root=small_root, extra_files=(extra,)))
    except DataSyntaxError as exc:
        assert "remote.jsonld" in str(exc)
    assert seen == []


def test_an_rdf_xml_file_cannot_read_a_local_file(tmp_path, small_root):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    extra = tmp_path / "xxe.rdf"
    extra.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY x SYSTEM "file://{secret}"> ]>\n'
                     '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
                     '<rdf:Description rdf:about="http://example.org/a"><ex:p>&x;</ex:p></rdf:Description></rdf:RDF>')
    try:
        data = loader.load(Settings(root=small_root, extra_files=(extra,)))
    except DataSyntaxError:
        return  # refused: nothing read
    values = [q.object.value for q in data.store.quads_for_pattern(None, None, None, None)]
    assert not any("TOP-SECRET" in v for v in values)


def entity_file(path, levels: int, fanout: int = 10):
    """RDF/XML whose DOCTYPE nests entities: &lolN; expands to 3 * fanout**N bytes."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * fanout}">' for i in range(1, levels + 1)]
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
                    f'<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol{levels};</ex:p>'
                    '</rdf:Description></rdf:RDF>\n')
    return path


@pytest.mark.slow  # a subprocess loading the whole project under a memory limit; the in-process
# small-bomb test below is its cousin in the default run
def test_a_billion_laughs_file_is_refused_before_it_expands(tmp_path, root):
    # 3 * 10**9 bytes once expanded; served with a 2 GiB address-space limit, so that a loader
    # that expands it fails (it used to grow past 4 GiB) instead of swamping the test machine.
    import os
    import resource
    import subprocess
    import sys

    from .test_live import free_port

    extra = entity_file(tmp_path / "laughs.rdf", levels=9)

    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    done = subprocess.run([sys.executable, "-m", "termgraph", "--root", str(root), "serve", "--port", str(free_port()),
                           str(extra)], env={**os.environ, "TERMGRAPH_WORKERS": "1"}, preexec_fn=limit_memory,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr[-2000:]
    last = done.stderr.strip().splitlines()[-1]
    assert last == (f"termgraph: error: {extra}: its DOCTYPE declares XML entities that expand to more than "
                    f"{10 * extra.stat().st_size + (1 << 20)} bytes (an entity-expansion attack?); write the "
                    "values out in the file and remove the <!ENTITY> declarations")
    assert "serving" not in done.stderr


def test_a_small_entity_bomb_is_refused_in_process_and_adds_nothing(tmp_path, root):
    extra = entity_file(tmp_path / "bomb.owl", levels=6)  # 3 MB from a file of under 1 KB
    with pytest.raises(DataSyntaxError, match=r"bomb\.owl: its DOCTYPE declares XML entities"):
        loader.load(Settings(root=root, extra_files=(extra,)))


def test_flat_entity_abbreviations_as_ontology_editors_write_them_still_load(tmp_path, root):
    extra = tmp_path / "editor.rdf"
    extra.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY ex "http://example.org/">\n'
                     '<!ENTITY nested "&ex;x">\n]>\n'
                     '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
                     '<rdf:Description rdf:about="&ex;a"><ex:p rdf:resource="&nested;"/></rdf:Description></rdf:RDF>\n')
    data = loader.load(Settings(root=root, extra_files=(extra,)))
    quads = list(data.store.quads_for_pattern(ox.NamedNode("http://example.org/a"), None, None, None))
    assert {(q.predicate.value, q.object.value) for q in quads} == {("http://example.org/p", "http://example.org/x")}

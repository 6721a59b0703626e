"""Serving imports nothing heavy it does not use: rdflib and pyshacl (~30 MB of every process of
the served tree) are for `termgraph validate`, the SHACL gate's own forked process, and the
release files' writer, never the server or its workers (docs/performance.md)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from .conftest import small_copy

HEAVY = ("rdflib", "pyshacl", "pylode", "owlrl")

# What `termgraph serve` does in one process: the CLI's imports, the state built (the data loaded,
# the workers forked), the app, a term page with its claims table, and a query.
SERVE = textwrap.dedent("""
    import sys
    from pathlib import Path
    {extra}
    import termgraph.cli
    from fastapi.testclient import TestClient
    from termgraph.settings import Settings
    from termgraph.web.app import create_app
    from termgraph.web.state import build_state

    state = build_state(Settings(root=Path(sys.argv[1]), workers=1, cache_dir=None))
    try:
        with TestClient(create_app(state)) as client:
            page = client.get("/concept/foundation-model")
            assert page.status_code == 200 and "claims" in page.text.lower(), page.status_code
            answer = client.get("/sparql", params={{"query": "ASK {{ ?s ?p ?o }}"}},
                                headers={{"Accept": "application/sparql-results+json"}})
            assert answer.json()["boolean"] is True, answer.text
    finally:
        state.close()
    print(" ".join(sorted(name for name in {heavy} if name in sys.modules)))
""")


def heavy_modules_after_serving(root, extra: str = "") -> list[str]:
    script = SERVE.format(extra=extra, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.split()


def test_serving_imports_no_rdflib_nor_pyshacl(tmp_path):
    assert heavy_modules_after_serving(small_copy(tmp_path / "root")) == []


def test_the_check_sees_a_heavy_import(tmp_path):
    """The same run with rdflib imported on the way (as cli/data.py's module-level import of
    graph/validate.py did) is caught: the check can fail."""
    found = heavy_modules_after_serving(small_copy(tmp_path / "root"), extra="import termgraph.graph.validate")
    assert found == ["pyshacl", "rdflib"]


def test_a_vocabulary_file_no_parser_reads_is_one_error_naming_file_and_line(tmp_path):
    """The vocabulary (read with pyoxigraph, not rdflib) still stops at a broken file with one line."""
    from termgraph.errors import DataSyntaxError
    from termgraph.graph.claims_vocab import load_vocabulary

    root = small_copy(tmp_path / "root")
    concepts = root / "data" / "curated" / "concepts.ttl"
    text = concepts.read_text(encoding="utf-8")
    concepts.write_text(text + "concept:broken a ;\n", encoding="utf-8")
    line = text.count("\n") + 1
    try:
        load_vocabulary(root)
    except DataSyntaxError as exc:
        message = str(exc)
    else:
        raise AssertionError("a broken Turtle file was read")
    assert message.startswith(f"{concepts}, line {line}: ") and "\n" not in message, message

"""The served process tree's memory (docs/performance.md): serving imports nothing heavy it does
not use (rdflib and pyshacl are for `termgraph validate`, the SHACL gate's own forked process and
the release files' writer, never the server or its workers), and the server gives large freed
buffers back to the system."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

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
        worker = state.pool.idle[0].pid  # (forked by the zygote: the server's opt-in into KSM reached it)
        stat = Path(f"/proc/{{worker}}/ksm_stat")
        merging = ("yes" if "ksm_merge_any: yes" in stat.read_text() else "no") if stat.exists() else "unknown"
        with TestClient(create_app(state)) as client:
            page = client.get("/concept/foundation-model")
            assert page.status_code == 200 and "claims" in page.text.lower(), page.status_code
            answer = client.get("/sparql", params={{"query": "ASK {{ ?s ?p ?o }}"}},
                                headers={{"Accept": "application/sparql-results+json"}})
            assert answer.json()["boolean"] is True, answer.text
    finally:
        state.close()
    print(" ".join(sorted(name for name in {heavy} if name in sys.modules)))
    print("worker mergeable:", merging)
""")


def heavy_modules_after_serving(root, extra: str = "") -> list[str]:
    script = SERVE.format(extra=extra, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", script, str(root)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    heavy, merging = done.stdout.splitlines()
    return heavy.split() + ([merging] if extra == "" else [])


def test_serving_imports_no_rdflib_nor_pyshacl_and_its_workers_pages_may_be_merged(tmp_path):
    """(graph/page_merging.py: a worker's copies of the pages it read can be merged back by KSM.)"""
    found = heavy_modules_after_serving(small_copy(tmp_path / "root"))
    stat = Path("/proc/self/ksm_stat")  # (its ksm_merge_any line came with PR_SET_MEMORY_MERGE, Linux 6.4)
    merging = "yes" if stat.exists() and "ksm_merge_any" in stat.read_text() else "unknown" if not stat.exists() else "no"
    assert found == [f"worker mergeable: {merging}"]


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


# A process that frees one large buffer (glibc then raises its mmap threshold), then makes and frees
# sixty 1 MiB buffers between small blocks that live on: the anonymous memory it keeps, in MiB.
FREES = textwrap.dedent("""
    import sys
    from pathlib import Path
    from termgraph.graph.store import return_large_frees

    def anonymous() -> int:
        return int(Path("/proc/self/status").read_text().split("RssAnon:")[1].split()[0]) >> 10

    if sys.argv[1] == "fixed":
        return_large_frees()
    big = b"\\1" * (8 << 20)
    del big
    before = anonymous()
    kept, buffers = [], []
    for _ in range(60):
        buffers.append(b"\\1" * (1 << 20))
        kept.append(b"\\1" * 1024)
    del buffers
    print(anonymous() - before)
""")


def kept_after_large_frees(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", FREES, mode], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def test_large_freed_buffers_go_back_to_the_system():
    assert kept_after_large_frees("fixed") <= 1


def test_without_it_glibc_keeps_them():
    """The same run with glibc's default (a dynamic mmap threshold) keeps them: the check can fail."""
    assert kept_after_large_frees("default") >= 8

"""The termgraph command: validate, query, export — exit codes, formats and clear errors."""

import json
from pathlib import Path
import subprocess
import sys

import pytest

from termgraph.cli import main


@pytest.fixture(autouse=True)
def load_once(monkeypatch, data, root):
    """`termgraph query` over the project's data gets conftest's `data` (the same load, done once
    per test process) instead of loading it again (~1 s a command). Only the query command runs
    without a progress callback on the project root; validate and export load for real."""
    from termgraph.graph import load as loader

    real = loader.load

    def load(settings, progress=None):
        if progress is None and Path(settings.root).resolve() == root and not settings.extra_files:
            return data
        return real(settings, progress)

    monkeypatch.setattr(loader, "load", load)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_exit_0_when_valid(capsys, broken_root, seeds):
    code, out, _ = run(capsys, "--root", str(broken_root), "validate", "--seeds", str(seeds))
    from termgraph.graph.files import project_files

    assert code == 0 and out == (f"valid: {len(project_files(broken_root))} files conform to the shapes\n"
                                 "claims: every table checked (cells, declared terms, verbatim quotes, generated files)\n")


@pytest.fixture
def broken_root(tmp_path):
    """A small copy of the data folder to break (conftest's small_copy: the checks are the same;
    SHACL takes half the time)."""
    from .conftest import small_copy

    return small_copy(tmp_path / "root")


def test_validate_exit_1_with_report_when_invalid(capsys, broken_root, seeds):
    path = broken_root / "data" / "claims" / "000.ttl"
    path.write_text(path.read_text().replace("tg:stance tg:Denies", "tg:stance tg:Maybe", 1))
    code, out, _ = run(capsys, "--root", str(broken_root), "validate", "--seeds", str(seeds))
    assert code == 1
    assert "invalid" in out and "tgsh:ClaimStanceShape" in out and "claim:000-" in out


def test_validate_exit_2_when_unreadable(capsys, broken_root):
    (broken_root / "data" / "curated" / "systems.ttl").write_text("@prefix broken")
    code, _, err = run(capsys, "--root", str(broken_root), "validate")
    assert code == 2 and "systems.ttl" in err and "Traceback" not in err


def test_query_prints_a_table(capsys):
    code, out, _ = run(capsys, "query", "SELECT ?l WHERE { concept:foundation-model skos:prefLabel ?l }")
    assert code == 0
    assert "| foundation model |" in out and "(1 row)" in out


@pytest.mark.parametrize("fmt,check", [
    ("json", lambda out: json.loads(out)["results"]["bindings"][0]["l"]["value"] == "foundation model"),
    ("csv", lambda out: out.splitlines() == ["l", "foundation model"]),
    ("tsv", lambda out: out.splitlines() == ["?l", '"foundation model"@en']),
])
def test_query_formats(capsys, fmt, check):
    code, out, _ = run(capsys, "query", "SELECT ?l WHERE { concept:foundation-model skos:prefLabel ?l }",
                       "--format", fmt)
    assert code == 0 and check(out)


def test_construct_prints_turtle(capsysbinary):
    code = main(["query", "CONSTRUCT { concept:foundation-model skos:prefLabel ?l } "
                          "WHERE { concept:foundation-model skos:prefLabel ?l }"])
    out = capsysbinary.readouterr().out.decode()
    assert code == 0 and "@prefix" in out and '"foundation model"@en' in out


def test_query_from_file(capsys, root):
    code, out, _ = run(capsys, "query", "-f", str(root / "queries/examples/04-foundation-not-llm-in-000.rq"))
    assert code == 0 and "Gato" in out


def test_syntax_error_is_a_message_and_exit_2(capsys):
    code, out, err = run(capsys, "query", "SELEC ?x WHERE { ?x ?p ?o }")
    assert code == 2 and err == ("termgraph: error: SPARQL syntax error: not a query form: SELEC; a query begins "
                                 "with SELECT, CONSTRUCT, ASK or DESCRIBE (after any PREFIX and BASE lines)\n")


@pytest.mark.parametrize("query,word", [("PREFIX x: <http://e/> BASE <http://e/> ASKK { ?x ?p ?o }", "ASKK"),
                                        ("?x WHERE {}", "?x"), ("{ }", "{")])
def test_a_query_without_a_form_says_which_word_came_instead(capsys, query, word):
    code, _, err = run(capsys, "query", query)
    assert code == 2 and f"not a query form: {word};" in err


def test_a_syntax_error_after_the_form_says_what_was_expected_where(capsys):
    code, _, err = run(capsys, "query", "SELECT ?x WHERE { ?x ?p ?o ")
    assert code == 2 and "SPARQL syntax error at line 1, column" in err and "expected" in err


def test_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out == f"termgraph {version('termgraph')}\n"


def test_updates_are_refused(capsys):
    code, _, err = run(capsys, "query", "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }")
    assert code == 2 and "read-only" in err


@pytest.fixture(scope="module")
def help_text(root) -> str:
    """`termgraph --help` as a new process prints it, run once for the three tests that read it
    (at the README's width, 100 columns)."""
    env = {**__import__("os").environ, "COLUMNS": "100"}
    return subprocess.run([sys.executable, "-m", "termgraph", "--help"], capture_output=True, text=True, cwd=root,
                          env=env).stdout


def test_help_lists_every_command_with_an_example(help_text):
    out = help_text
    for command in ("validate", "query", "export", "serve"):
        assert f"termgraph {command}" in out


def test_export_shows_progress_and_writes_the_release_files_deterministically(capsys, tmp_path, release):
    """A fresh load and export (the command's) gives byte-identical files to conftest's `release`
    (another load, exported by export.export)."""
    code, out, err = run(capsys, "export", "--out", str(tmp_path))
    assert code == 0
    assert "writing termgraph.*" in err and "termgraph-ontology.html" in out
    assert (tmp_path / "termgraph.trig").stat().st_size > 10_000
    names = sorted(p.name for p in tmp_path.iterdir())
    for stem in ("termgraph", "termgraph-ontology"):
        for ext in ("ttl", "nt", "nq", "trig", "jsonld", "rdf"):
            assert f"{stem}.{ext}" in names
    assert "termgraph-void.ttl" in names and names == sorted(release)
    for name in names:
        assert (tmp_path / name).read_bytes() == release[name].read_bytes(), name


def test_errors_are_one_line_without_a_traceback(capsys, tmp_path):
    code, _, err = run(capsys, "query", "-f", str(tmp_path / "missing.rq"))
    assert code == 2 and err == f"termgraph: error: {tmp_path / 'missing.rq'}: No such file or directory\n"


@pytest.mark.live
def test_serve_open_opens_the_browser(tmp_path, root):
    """--open hands the landing page's URL to the browser (here a stand-in that records it)."""
    import os
    import signal
    import socket
    import time

    record = tmp_path / "opened.txt"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "BROWSER": f"sh -c 'echo %s > {record}'"}
    proc = subprocess.Popen([sys.executable, "-m", "termgraph", "serve", "--open", "--port", str(port), "--workers", "1"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=root)
    try:
        deadline = time.monotonic() + 90
        while not record.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.3)
        assert record.read_text().strip() == f"http://127.0.0.1:{port}/"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


# --- as a newcomer meets it --------------------------------------------------------------------------

@pytest.mark.parametrize("query,message", [
    ("SELECT * WHERE { ?s foo:bar ?o }",
     "termgraph: error: SPARQL syntax error: unknown prefix 'foo:'; declare it with PREFIX foo: <…> (predeclared: "
     "claim, concept, dcterms, disagreement, oa, org, owl, prov, rdf, rdfs, rule, schema, skos, source, system, tg, "
     "xsd)\n"),
    ("SELECT * WHERE { ?s ?p ?o ",
     "termgraph: error: SPARQL syntax error at line 1, column 27: expected one of \",\", \".\", \";\", \"{\", "
     "\"{|\", \"}\", \"~\", [_] (near 'ERE { ?s ?p ?o')\n"),
])
def test_a_query_error_is_one_readable_line(capsys, query, message):
    code, _, err = run(capsys, "query", query)
    assert code == 2 and err == message


def test_a_turtle_syntax_error_says_what_and_where(capsys, broken_root):
    path = broken_root / "data" / "curated" / "systems.ttl"
    lines = path.read_text().count("\n")
    path.write_text(path.read_text() + "\nex:a ex:b .\n")
    code, _, err = run(capsys, "--root", str(broken_root), "validate")
    assert code == 2
    assert err == (f"termgraph: error: {path}, line {lines + 2}: Parser error at line {lines + 2} between columns 1 "
                   "and 5: The prefix ex: has not been declared\n")


def test_a_busy_port_is_one_line_before_anything_loads(capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code, out, err = run(capsys, "serve", "--port", str(port))
    assert code == 2 and out == ""
    assert err == (f"termgraph: error: cannot listen on 127.0.0.1:{port} (Address already in use): stop the program "
                   "using it or choose another port with --port\n")


def test_the_help_examples_name_real_files(root, help_text):
    import re

    out = help_text
    named = re.findall(r"-f (\S+\.rq)", out)
    assert named and all((root / n).is_file() for n in named)


def test_a_format_that_does_not_fit_the_result_is_one_line(capsys):
    code, _, err = run(capsys, "query", "ASK {}", "--format", "turtle")
    assert code == 2 and err == "termgraph: error: --format turtle does not fit an ASK result; use one of json, xml, csv, tsv\n"


def test_the_readme_command_line_block_is_the_real_help(root, help_text):
    readme = (root / "README.md").read_text()
    block = readme.split("<!-- cli:start -->")[1].split("<!-- cli:end -->")[0]
    out = help_text
    assert block.strip() == f"```text\n$ termgraph --help\n{out.rstrip()}\n```", "run python tools/render_readme.py"


def test_query_takes_no_hidden_file_arguments(capsys, tmp_path):
    """A file after the query used to be accepted and ignored (even a missing one)."""
    with pytest.raises(SystemExit) as info:
        main(["query", "ASK {}", str(tmp_path / "missing.ttl")])
    assert info.value.code == 2 and "unrecognized arguments" in capsys.readouterr().err

"""Server and toolchain apart: the server's install has none of the curate extra's packages (every
module outside the toolchain imports without them), the toolchain's commands say in one line which
extra to install, and no route needs python-multipart. The packages are hidden honestly: a
subprocess whose import system refuses them (a meta-path finder), as if they were not installed."""

import subprocess
import sys
import tomllib

import pytest

from termgraph.cli.curate import CURATE_PACKAGES

from .conftest import ROOT

HIDE = """
import importlib.abc, sys
class Hidden(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {hidden!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Hidden())
"""
TOOLCHAIN = ("termgraph.curate", "termgraph.web.routes.curate")  # loaded only by the curation commands


def run_hidden(code: str, hidden=CURATE_PACKAGES) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", HIDE.format(hidden=tuple(hidden)) + code],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_the_curate_extra_holds_the_drafting_packages_and_the_server_install_none():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {d.split(">")[0].split("<")[0].split("=")[0].split("[")[0].strip().lower()
             for d in project["dependencies"]}
    curate = {d.split(">")[0].split("<")[0].strip().lower() for d in project["optional-dependencies"]["curate"]}
    assert curate == {"trafilatura", "lxml_html_clean", "pyahocorasick"}
    assert not names & curate and "python-multipart" not in names
    assert "termgraph[curate]" in project["optional-dependencies"]["test"]  # the test command runs the curate tests


def test_every_server_module_imports_without_the_curate_packages():
    code = f"""
import importlib, pkgutil, termgraph
failed = []
for m in pkgutil.walk_packages(termgraph.__path__, "termgraph."):
    if m.name.startswith({TOOLCHAIN!r}) or m.name == "termgraph.__main__":  # (that one runs the command)
        continue
    try:
        importlib.import_module(m.name)
    except ImportError as exc:
        failed.append((m.name, str(exc)))
print(failed)
"""
    done = run_hidden(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_hiding_works_so_the_check_above_can_fail():
    done = run_hidden("import termgraph.curate.gazetteer")
    assert done.returncode == 1 and "ModuleNotFoundError: No module named 'ahocorasick'" in done.stderr


@pytest.mark.parametrize("argv,command", [
    (["draft", "005"], "draft"),
    (["source", "add", "article.txt", "--title", "T"], "source add"),
    (["serve", "--curate"], "serve --curate"),
])
def test_a_toolchain_command_without_the_extra_names_it_in_one_line(argv, command):
    done = run_hidden(f"from termgraph.cli import main; sys.exit(main({argv!r}))", hidden=["ahocorasick"])
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (f"termgraph: error: termgraph {command} needs the curate extra: "
                           "pip install 'termgraph[curate]' (missing: ahocorasick)\n")


def test_no_route_reads_a_form_field_so_python_multipart_is_not_needed(client):
    """Form-encoded query POSTs are read by sparql/protocol.py from the body itself."""
    from fastapi import params
    from fastapi.routing import APIRoute

    for route in client.app.routes:
        if isinstance(route, APIRoute):
            assert not any(isinstance(f.field_info, (params.Form, params.File)) for f in route.dependant.body_params), route.path
    r = client.post("/sparql", data={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
    assert r.json() == {"head": {}, "boolean": True}

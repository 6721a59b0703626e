"""The house's floors (tools/layers.py): every module's imports read with ast; no import runs up a
floor or sideways between the packages of one floor, nothing outside executor/ passes its
interface, no route imports a route, and no cycle. A broken fake package proves each rule fails."""

import sys

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import layers  # noqa: E402

BROKEN = ROOT / "tests/fixtures/layers-broken/termgraph"


def test_termgraph_has_no_upward_import_and_no_cycle():
    root = ROOT / "src/termgraph"
    assert len(layers.edges(root)) > 150  # the imports were read (not an empty walk)
    assert layers.violations(root) == []


def test_every_module_is_on_a_floor():
    root = ROOT / "src/termgraph"
    packages = {layers.package_of(m) for m in layers.module_names(root)}
    assert packages == set(layers.FLOORS), packages


def test_a_broken_house_fails_on_each_rule():
    assert layers.violations(BROKEN) == [
        "termgraph.curate.c line 2 imports termgraph.executor.pool: sideways from curate to executor, on one floor",
        "termgraph.errors line 2 imports termgraph.web.app: up from the ground floor to web",
        "termgraph.web.routes.one line 2 imports termgraph.web.routes.two: no route module is imported by "
        "another route or from outside web/ (shared request helpers: web/requests.py)",
        "termgraph.web.routes.one line 3 imports termgraph.executor.pool: past executor's interface "
        "(termgraph.executor.interface)",
        "cycle: termgraph.graph.a -> termgraph.graph.b -> termgraph.graph.a",
    ]


def test_imports_are_resolved_relative_and_under_type_checking_skipped():
    found = {(e.importer, e.imported) for e in layers.edges(BROKEN)}
    assert ("graph.b", "graph.a") in found  # `from . import a`, inside a function
    assert ("web.routes.two", "cli") not in found  # only under TYPE_CHECKING: not an import at run time
    assert ("executor.interface", "executor.pool") in found and ("web.app", "namespaces") in found

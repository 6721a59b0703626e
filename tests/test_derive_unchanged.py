"""Deriving is fast and derives exactly what it derived before: the source views, the disagreements
graph and the default graph, quad for quad, against the derivation as it was before it was made
faster (kept frozen in tests/fixtures/derive_before/), on the project's data and on a generated
graph (bench/generate.py) beside it."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from termgraph.graph import derive, load as loader, skolem
from termgraph.settings import Settings
from tests.fixtures.derive_before import derive as before

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402


def loaded(settings: Settings) -> ox.Store:
    """The files loaded and skolemised: the store the derivation starts from."""
    store = ox.Store()
    for item in loader.all_files(settings):
        loader.load_file(store, item)
    skolem.skolemise(store)
    return store


def derived_both_ways(settings: Settings) -> tuple[tuple[set, list[str]], tuple[set, list[str]]]:
    now, then = loaded(settings), loaded(settings)
    assert set(now) == set(then)
    names_now = derive.add_derived_graphs(now, settings.root)
    names_then = before.add_derived_graphs(then, settings.root)
    return (set(now), names_now), (set(then), names_then)


def assert_same(now, then):
    (quads_now, names_now), (quads_then, names_then) = now, then
    assert names_now == names_then
    missing, extra = quads_then - quads_now, quads_now - quads_then
    assert not missing and not extra, (sorted(map(str, missing))[:5], sorted(map(str, extra))[:5])


def test_the_project_data_derives_the_same_quads():
    now, then = derived_both_ways(Settings(root=ROOT))
    assert_same(now, then)
    quads = now[0]
    disagreements = {q for q in quads if q.graph_name == ox.NamedNode("https://w3id.org/termgraph/graph/disagreements")}
    assert len(disagreements) > 100 and any(q.graph_name == ox.DefaultGraph() for q in quads)


def test_a_generated_graph_derives_the_same_quads(tmp_path):
    path = tmp_path / "generated.trig"
    path.write_text(generate(1))
    now, then = derived_both_ways(Settings(root=ROOT, extra_files=(path,)))
    assert_same(now, then)
    assert len(now[0]) > 20_000


def test_a_changed_derivation_is_caught(monkeypatch):
    """The comparison can fail: a derivation that loses one disagreement is not the same."""
    from termgraph.graph import disagreements

    real = disagreements.derive

    def one_fewer(*args, **kwargs):
        quads, held = real(*args, **kwargs)
        first = next(q.subject for q in quads if q.predicate.value.endswith("#hasClaim"))
        return [q for q in quads if q.subject != first], held
    monkeypatch.setattr(disagreements, "derive", one_fewer)
    now, then = derived_both_ways(Settings(root=ROOT))
    with pytest.raises(AssertionError):
        assert_same(now, then)

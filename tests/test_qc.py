"""Quality-control queries (queries/qc/*.rq) return zero rows."""

from pathlib import Path

import pytest

from termgraph.sparql import engine
from termgraph import namespaces as ns

QC = sorted((Path(__file__).resolve().parent.parent / "queries" / "qc").glob("*.rq"))


def test_there_are_qc_queries():
    assert len(QC) >= 6


@pytest.mark.parametrize("path", QC, ids=lambda p: p.stem)
def test_qc_query_returns_no_rows(data, path):
    result = engine.run(data.store, path.read_text(), prefixes=ns.PREFIXES)
    rows = [{v.value: (row[v.value].value if row[v.value] else None) for v in result.value.variables}
            for row in result.value]
    assert rows == []


def test_a_qc_query_does_find_a_defect(tmp_path, root):
    """The QC queries can fail: a claim file with a claim that has no quote is caught."""
    from termgraph.build import load as loader
    from termgraph.settings import Settings

    extra = tmp_path / "broken.ttl"
    extra.write_text(
        "@prefix tg: <https://w3id.org/termgraph/ontology#> .\n"
        "<https://w3id.org/termgraph/claim/999-001> a tg:Claim ; tg:stance tg:Asserts .\n")
    data = loader.load(Settings(root=root, extra_files=(extra,)))
    query = (QC[0].parent / "claims-missing-parts.rq").read_text()
    result = engine.run(data.store, query, prefixes=ns.PREFIXES)
    missing = sorted(row["missing"].value for row in result.value)
    assert missing == ["quote", "source"]

"""Where things are: shapes checked by folder, and the READMEs that say what each folder holds."""

import shutil

import pytest

from termgraph import namespaces as ns
from termgraph.graph import files, validate
from termgraph.errors import DataNotFound


def test_each_shapes_folder_checks_its_graphs(root):
    found = {p.relative_to(root).as_posix(): files.shape_targets(p) for p in files.shapes_files(root)}
    data = (ns.GRAPH_ONTOLOGY, ns.GRAPH_CURATED, ns.GRAPH_CLAIMS)
    assert found == {"shapes/data/data-shapes.ttl": data, "shapes/data/disagreement-shapes.ttl": data,
                     "shapes/ontology/ontology-shapes.ttl": (ns.GRAPH_ONTOLOGY,)}
    ontology_only = validate.files_for(files.shape_targets(root / "shapes/ontology/x.ttl"), files.project_files(root))
    assert [p.relative_to(root).as_posix() for p in ontology_only] == ["ontology/termgraph.ttl"]


@pytest.mark.parametrize("stray", ["shapes/extra.ttl", "shapes/misc/extra.ttl", "shapes/data/deeper/extra.ttl"])
def test_a_shapes_file_outside_the_two_folders_is_an_error(tmp_path, root, stray):
    shutil.copytree(root / "shapes", tmp_path / "shapes")
    (tmp_path / stray).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / stray).write_text("")
    with pytest.raises(DataNotFound) as info:
        files.shapes_files(tmp_path)
    assert str(info.value) == (f"{tmp_path / stray}: put shapes in shapes/ontology or shapes/data "
                               "(the folder says which graphs they check)")


@pytest.mark.parametrize("folder", ["ontology", "shapes"])
def test_the_folder_has_a_readme_naming_its_checks(root, folder):
    text = (root / folder / "README.md").read_text()
    assert "termgraph validate" in text and "tests/" in text

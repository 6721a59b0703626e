"""Where termgraph's own files are: the source checkout, or the copy shipped in the package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def default_root() -> Path:
    """The folder holding ontology/, data/ and shapes/.

    In a source checkout (editable install) that is the repository; in an installed wheel it
    is the copy under termgraph/_data.
    """
    here = Path(__file__).resolve()
    checkout = here.parents[2]
    if (checkout / "ontology").is_dir() and (checkout / "data").is_dir():
        return checkout
    return Path(str(resources.files("termgraph") / "_data"))


def default_seeds(root: Path) -> Path:
    """The folder with the source texts: ../shared/seeds beside the checkout."""
    return root.parent / "shared" / "seeds"

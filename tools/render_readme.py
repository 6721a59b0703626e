"""Rewrite the README's example-query section from queries/examples/*.rq and their real output.

    python tools/render_readme.py          # rewrite README.md in place
The section lies between the markers <!-- examples:start --> and <!-- examples:end -->.
tests/test_readme.py checks that every query in the README returns what the README shows.
"""

import re
import sys
from pathlib import Path

from termgraph.sparql import engine
from termgraph.sparql import formats
from termgraph.build import load as loader
from termgraph import namespaces as ns
from termgraph.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def render(data, path: Path) -> str:
    text = path.read_text().strip()
    title = text.splitlines()[0].lstrip("# ").strip()
    result = engine.run(data.store, text, prefixes=ns.PREFIXES)
    output = formats.table(result.value) if result.form == "SELECT" else str(bool(result.value))
    return f"#### {title}\n\n`queries/examples/{path.name}`\n\n```sparql\n{text}\n```\n\n```text\n{output}\n```\n"


def main() -> int:
    data = loader.load(Settings(root=ROOT))
    blocks = "\n".join(render(data, p) for p in sorted((ROOT / "queries" / "examples").glob("*.rq")))
    readme = ROOT / "README.md"
    text = readme.read_text()
    new = re.sub(r"(<!-- examples:start -->\n).*?(<!-- examples:end -->)", lambda m: m.group(1) + "\n" + blocks + "\n" + m.group(2),
                 text, flags=re.S)
    readme.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())

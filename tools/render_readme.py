"""Rewrite the README's (and docs/examples.md's) generated parts from the real files and their real output.

    python tools/render_readme.py          # rewrite README.md and docs/examples.md in place

- <!-- examples:start --> … <!-- examples:end -->: in docs/examples.md, queries/examples/*.rq and
  what each returns; in the README, the two of README_EXAMPLES (tests/test_readme.py checks
  every query returns what is shown);
- <!-- code:start --> … <!-- code:end -->: the code map, each module's first docstring line
  (tests/test_readme.py checks it is current);
- <!-- cli:start --> … <!-- cli:end -->: `termgraph --help` (tests/test_cli.py checks it);
- <!-- python:start --> … <!-- python:end -->: the Python example and what it prints
  (tests/test_api.py checks it).
"""

import re
import sys
from pathlib import Path

from termgraph.executor import engine

from termgraph.sparql.query import read
from termgraph import formats
from termgraph.graph import load as loader
from termgraph import namespaces as ns
from termgraph.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README_EXAMPLES = ("01-llm-subset-of-generative-ai.rq", "03-disagreements-among-core-terms.rq")


def render(data, path: Path) -> str:
    text = path.read_text().strip()
    title = text.splitlines()[0].lstrip("# ").strip()
    result = engine.run(data.store, read(text, ns.PREFIX_ITEMS))
    output = formats.table(result.value) if result.form == "SELECT" else str(bool(result.value))
    return f"#### {title}\n\n`queries/examples/{path.name}`\n\n```sparql\n{text}\n```\n\n```text\n{output}\n```\n"


def cli_help() -> str:
    import os
    import subprocess

    out = subprocess.run([sys.executable, "-m", "termgraph", "--help"], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "COLUMNS": "100"}, check=True).stdout
    return f"```text\n$ termgraph --help\n{out.rstrip()}\n```\n"


def python_example(text: str) -> str:
    """The README's Python example (its first ```python block between the markers), run, with
    its real output in a ```text block after it."""
    import contextlib
    import io

    code = re.search(r"```python\n(.*?)```", text, flags=re.S).group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})
    return f"```python\n{code}```\n\nprints\n\n```text\n{out.getvalue().rstrip()}\n```\n"


def first_line(path: Path) -> str:
    """A module's docstring's first sentence, its wrapped lines joined ("" when it has none)."""
    import ast

    doc = (ast.get_docstring(ast.parse(path.read_text())) or "").strip()
    paragraph = " ".join(doc.split("\n\n")[0].split())
    found = re.search(r"^(.+?[.:!?])(\s|$)", paragraph)
    return found.group(1) if found else paragraph


def code_map(package: Path | None = None) -> str:
    """Every module of the package, folder by folder, with its first docstring line."""
    package = package or ROOT / "src" / "termgraph"
    rows = []
    for folder in sorted({p.parent for p in package.rglob("*.py")}, key=lambda f: f.relative_to(package).parts):
        rel = folder.relative_to(package.parent).as_posix() + "/"
        init = folder / "__init__.py"
        rows.append(f"{rel:<28}{first_line(init) if init.exists() else ''}".rstrip())
        for module in sorted(folder.glob("*.py")):
            if module.name != "__init__.py":
                rows.append(f"  {module.name:<26}{first_line(module)}".rstrip())
    return "```text\n" + "\n".join(rows) + "\n```\n"


def replace(text: str, name: str, block: str) -> str:
    pattern = rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)"
    return re.sub(pattern, lambda m: m.group(1) + "\n" + block + "\n" + m.group(2), text, flags=re.S)


def section(text: str, name: str) -> str:
    return text.split(f"<!-- {name}:start -->")[1].split(f"<!-- {name}:end -->")[0]


def main() -> int:
    data = loader.load(Settings(root=ROOT))
    files = sorted((ROOT / "queries" / "examples").glob("*.rq"))
    examples = ROOT / "docs" / "examples.md"
    examples.write_text(replace(examples.read_text(), "examples", "\n".join(render(data, p) for p in files)))
    readme = ROOT / "README.md"
    shown = "\n".join(render(data, p) for p in files if p.name in README_EXAMPLES)
    text = replace(readme.read_text(), "examples", shown)
    text = replace(text, "code", code_map())
    text = replace(text, "cli", cli_help())
    text = replace(text, "python", python_example(section(text, "python")))
    readme.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Check claims tables (data/claims/NNN.csv) the way `termgraph validate` does, without the SHACL step.

Usage: python tools/check_claims.py [data/claims/000.csv ...]   (default: every table)
Prints every problem (file, row, column, fix), or OK; exit 1 if any problem, 2 if a table is unreadable.
"""

import sys
from pathlib import Path

from termgraph.graph import validate
from termgraph.errors import TermgraphError
from termgraph.paths import default_seeds

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    wanted = {f"data/claims/{Path(a).stem}." for a in argv}
    try:
        problems = validate.curator_problems(ROOT, default_seeds(ROOT))
    except TermgraphError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    if wanted:
        problems = [p for p in problems if any(p.startswith(w) for w in wanted)]
    print("\n".join(problems) if problems else "OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

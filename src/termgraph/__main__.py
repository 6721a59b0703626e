"""`python -m termgraph`: the command line (cli/__init__.py: main)."""

import sys

from termgraph.cli import main

sys.exit(main())

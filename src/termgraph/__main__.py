import sys

from termgraph.cli import main

sys.exit(main())

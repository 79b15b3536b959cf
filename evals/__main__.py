"""``python -m evals`` is ``lifestyle-mcp eval``."""

import sys

from evals.cli import main

raise SystemExit(main(sys.argv[1:]))

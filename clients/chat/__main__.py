"""``python -m clients.chat``: the same as ``lifestyle-mcp chat``."""

import sys

from clients.chat.cli import main

raise SystemExit(main(sys.argv[1:]))

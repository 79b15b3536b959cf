"""What consumes the servers: client config snippets (``configs``), the four servers as one set of tools
(``suite``), the Qwen-Agent plugin (``qwen``) and the Qwen-driven chat agent (``chat``).

``shared/`` and the servers never import from here; only the umbrella command line (``lifestyle-mcp``)
dispatches to ``configs`` and ``chat``."""

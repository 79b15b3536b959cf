"""What consumes the servers: client config snippets (``configs``), the Qwen-Agent plugin (``qwen``) and
the Qwen-driven chat agent (``chat``). Nothing in ``servers/`` or ``shared/`` imports from here."""

"""The MCP Apps views (HTML) the servers serve as ``ui://`` resources; ``shared.kit.apps`` loads them."""

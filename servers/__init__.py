"""The four lifestyle MCP servers. Each vertical is a package with the same three layers:
``server.py`` (MCP tools), ``client.py`` (typed httpx client) and ``backend/`` (mocked
provider: FastAPI over SQLModel)."""

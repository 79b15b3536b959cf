"""The small kit every vertical is assembled from: settings, database, the backend's HTTP
error mapping, the httpx client wiring, the MCP server base and the command line."""

"""A bare MCPServer with one echo tool: the baseline our read tools are measured against.

usage: python benchmarks/echo_server.py PORT
"""

import sys

import uvicorn
from mcp.server import MCPServer


def build() -> MCPServer:
    mcp = MCPServer("echo", log_level="WARNING")

    @mcp.tool()
    async def echo(text: str) -> str:
        """Echo the text back."""
        return text

    return mcp


if __name__ == "__main__":
    uvicorn.run(build().streamable_http_app(), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")

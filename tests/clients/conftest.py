"""The clients' tests run on the servers' sandboxes: the same fixtures as tests/servers (one sandbox with all
four verticals on one database, the road network prepared once per session)."""

from tests.servers.conftest import lifestyle, network, routing_cache

__all__ = ["lifestyle", "network", "routing_cache"]

"""Private servers started by the tests themselves (see tests/outages/servers.py)."""

from tests.outages.servers import redis_server  # noqa: F401 -- a fixture for this folder

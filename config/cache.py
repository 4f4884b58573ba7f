"""A Redis cache that the site can live without.

Everything Partnerskap keeps in its cache can be computed again (the dashboard's figures) or
lost without harm (the API's rate-limit counts), so a Redis outage must not take pages down
with it. Django's ``RedisCache`` raises on every call while Redis is away; this subclass logs
the error, answers as if the key were missing (``get`` → default, ``set`` → nothing stored) and
lets the caller compute the page.

After a failure the cache is left alone for ``retry_after`` seconds (the ``RETRY_AFTER``
option, default 5): while Redis is down each request would otherwise wait for a refused or
timed-out connection once per cache call. Then the next call tries Redis again.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("partnerskap.cache")

# What each operation answers while the cache is unavailable: what it answers for a missing
# key (or, for the writes, that nothing was stored), from the arguments the caller gave.
_FALLBACKS = {
    "add": lambda *args, **kwargs: False,
    "get": lambda key, default=None, version=None: default,
    "set": lambda *args, **kwargs: None,
    "touch": lambda *args, **kwargs: False,
    "delete": lambda *args, **kwargs: False,
    "get_many": lambda *args, **kwargs: {},
    "has_key": lambda *args, **kwargs: False,
    "set_many": lambda data, *args, **kwargs: list(data),  # the keys not stored
    "delete_many": lambda *args, **kwargs: None,
    "clear": lambda *args, **kwargs: None,
}


class ResilientRedisCache(RedisCache):
    """``RedisCache`` whose operations log a Redis error and fall back instead of raising."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._unavailable_until = 0.0

    def _available(self) -> bool:
        return time.monotonic() >= self._unavailable_until

    def _failed(self, operation: str, error: Exception) -> None:
        self._unavailable_until = time.monotonic() + self.retry_after
        logger.warning(
            "cache unavailable, %s answered without it for %gs: %s",
            operation,
            self.retry_after,
            error,
        )

    def incr(self, key, delta=1, version=None):
        # A counter the cache cannot keep starts again: the value a missing key would get.
        if self._available():
            try:
                return super().incr(key, delta, version)
            except RedisError as error:
                self._failed("incr", error)
        return delta

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)


def _resilient(operation: str, fallback):
    original = getattr(RedisCache, operation)

    @functools.wraps(original)
    def method(self, *args, **kwargs):
        if self._available():
            try:
                return original(self, *args, **kwargs)
            except RedisError as error:
                self._failed(operation, error)
        return fallback(*args, **kwargs)

    return method


for _operation, _fallback in _FALLBACKS.items():
    setattr(ResilientRedisCache, _operation, _resilient(_operation, _fallback))

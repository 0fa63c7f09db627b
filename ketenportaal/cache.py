"""A Redis cache that degrades to no cache while Redis is unreachable.

The cache only holds what can be recomputed (rendered dashboards, throttle counters, the
once-an-hour marks of token use). With Django's own RedisCache, Redis going down turned every
page and API call into a 500; with this one a read is a miss and a write is dropped (logged once
a minute), so pages are computed afresh and throttles fail open — for valid tokens too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
_last_warning = 0.0


def _warn(operation: str, exc: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning(
            "Cache unavailable (%s: %s); working without it", operation, type(exc).__name__
        )


def _soft(default: Any) -> Callable:
    def wrap(method: Callable) -> Callable:
        def soft(self, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as exc:
                _warn(method.__name__, exc)
                return default(*args, **kwargs) if callable(default) else default

        soft.__name__ = method.__name__
        return soft

    return wrap


def _default_of_get(key: str, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


class FailSoftRedisCache(RedisCache):
    get = _soft(_default_of_get)(RedisCache.get)
    get_many = _soft({})(RedisCache.get_many)
    set = _soft(None)(RedisCache.set)
    set_many = _soft([])(RedisCache.set_many)
    # A failed `add` says "stored": callers use it as "first time", and without a cache every
    # time is the first.
    add = _soft(True)(RedisCache.add)
    delete = _soft(False)(RedisCache.delete)
    delete_many = _soft(None)(RedisCache.delete_many)
    touch = _soft(False)(RedisCache.touch)
    has_key = _soft(False)(RedisCache.has_key)
    incr = _soft(1)(RedisCache.incr)
    clear = _soft(None)(RedisCache.clear)

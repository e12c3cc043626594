"""Rate limits per identity on writes, with the `limits` library (moving window, async in-memory storage).

An identity is the organisation and the token's subject (a person or a machine client): two people of one
gemeente each have their own limit. Writes (POST, PUT, PATCH, DELETE) are counted once authenticated, in
`identity.identify`, so every route behind a token is covered without code of its own; reads are not limited
(they change nothing and the reports and dashboards poll). Over the limit the request is refused with 429 and
`Retry-After` before its route runs: nothing is written, and the refused write is not counted. Writes without a
token (a worker's consent, with the key of its paspoort) have no identity to count against.

The storage is in memory, per service instance: N instances of a service behind one address allow N times the
limit. The library's shared storages (Redis, Memcached, MongoDB) are what makes one limit span instances.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from fastapi import Request
from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from .http import Problem

if TYPE_CHECKING:
    from .identity import Organisatie

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Far above what a gemeente or agency does by hand or in a batch of its own system, and above the project's own
# bursts (`make faults`: 2,500 aanmeldingen per gemeente, started within ~20 s; the concurrent test 1,000 at
# once); a client in a loop gets at most 5,000 writes in any minute and 30,000 in any hour (~8/s sustained).
# The notation is the library's: an amount per window, ';' between limits.
DEFAULT_WRITE_LIMIT = "5000/minute;30000/hour"


def parse_limits(spec: str) -> list[RateLimitItem]:
    """The limits of a setting such as "600/minute;50/second"; ValueError when it names none or is not valid."""
    items = parse_many(spec)
    if not items:
        raise ValueError(f"no rate limit in {spec!r}")
    return items


class WriteLimit:
    """The write limits of one service instance, counted per identity."""

    def __init__(self, spec: str, storage: Storage | None = None) -> None:
        self.spec = spec
        self.items = parse_limits(spec)
        self.limiter = MovingWindowRateLimiter(storage or MemoryStorage())

    async def hit(self, org: Organisatie) -> None:
        """Count one write of the identity; Problem 429 when any limit is reached (then nothing is counted)."""
        key = ("schrijven", org.code, org.persoon)
        for item in self.items:
            if not await self.limiter.test(item, *key):
                raise await self._refused(item, key)
        for item in self.items:
            if not await self.limiter.hit(item, *key):  # a concurrent write took the last place
                raise await self._refused(item, key)

    async def _refused(self, item: RateLimitItem, key: tuple[str, ...]) -> Problem:
        stats = await self.limiter.get_window_stats(item, *key)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        limiet = str(item)  # "3 per 1 minute"
        return Problem(
            429,
            "Te veel verzoeken",
            f"Limiet voor schrijfverzoeken van deze identiteit bereikt ({limiet}); opnieuw over {retry_after} s",
            headers={"Retry-After": str(retry_after)},
            limiet=limiet,
        )


async def limit_writes(request: Request, org: Organisatie) -> None:
    """Count a write of the caller against the app's limit (`app.state.write_limit`, set by the runtime); reads
    pass. Once per request, however many dependencies identify the caller."""
    limit: WriteLimit | None = getattr(request.app.state, "write_limit", None)
    if limit is None or request.method not in WRITE_METHODS or getattr(request.state, "write_counted", False):
        return
    request.state.write_counted = True
    await limit.hit(org)

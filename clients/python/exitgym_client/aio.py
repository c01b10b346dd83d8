"""asyncio client: the synchronous client's calls run in worker threads (``asyncio.to_thread``),
so an event loop (verl's agent loops, an async trainer) can await them concurrently."""

from __future__ import annotations

import asyncio
import functools
from typing import Any, Callable

from .client import Client


class AsyncClient:
    """Every method of :class:`Client`, awaitable. Example::

        c = AsyncClient("http://127.0.0.1:8765")
        s = await c.create_session("math", {"split": "math500"})
    """

    def __init__(self, base_url: str, **kwargs: Any):
        self.sync = Client(base_url, **kwargs)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.sync, name)
        if not callable(method):
            return method

        @functools.wraps(method)
        async def call(*args: Any, **kwargs: Any) -> Any:
            return await asyncio.to_thread(method, *args, **kwargs)

        return call

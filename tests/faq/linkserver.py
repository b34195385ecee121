"""A local web server on 127.0.0.1 that plays the sites FAQ sources point at.

It runs on its own event loop in a thread, so both the async checker and the synchronous CLI
(which starts its own loop with `asyncio.run`) can be tested against it. Routes:

    /ok              200
    /old             301 -> /new (200)
    /temporary       302 -> /ok
    /gone            404
    /no-head         405 on HEAD, 200 on GET
    /robots-out      403 on HEAD and GET
    /slow            never answers until the server stops (for timeouts)
    /busy/<n>        200 after a short pause, counting requests in flight
    /doi/10.1/ok     302 -> /old (301 -> /new): a DOI whose publisher moved; still fine
    /doi/10.1/gone   404 from the resolver itself: no such DOI
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from aiohttp import web


class LinkServer:
    def __init__(self) -> None:
        self.base = ""
        self.requests: list[tuple[str, str]] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._release: asyncio.Event | None = None
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        self.requests.append((request.method, path))
        redirects = {"/old": (301, "/new"), "/temporary": (302, "/ok")}
        redirects["/doi/10.1/ok"] = (302, "/old")
        if path in redirects:
            status, to = redirects[path]
            return web.Response(status=status, headers={"Location": self.url(to)})
        if path in {"/ok", "/new"}:
            return web.Response(text="fine")
        if path == "/no-head":
            return web.Response(status=405 if request.method == "HEAD" else 200)
        if path == "/robots-out":
            return web.Response(status=403)
        if path == "/slow":
            assert self._release is not None
            await self._release.wait()
            return web.Response(text="too late")
        if path.startswith("/busy/"):
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            try:
                await asyncio.sleep(0.05)  # long enough for the checker to overlap requests
            finally:
                self.in_flight -= 1
            return web.Response(text="fine")
        return web.Response(status=404)

    async def _start(self) -> None:
        self._release = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base = f"http://127.0.0.1:{port}"

    async def _stop(self) -> None:
        assert self._release is not None and self._runner is not None
        self._release.set()
        await self._runner.cleanup()

    @contextmanager
    def running(self) -> Iterator[LinkServer]:
        thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        try:
            yield self
        finally:
            asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            thread.join(10)
            self._loop.close()

"""The operator's HTTP endpoint of ``studybuddy serve``: ``/healthz`` and ``/metrics``.

``/healthz`` answers 200 only once the app is started, its index holds passages and the
database answers; before that, 503 with the reason as text (what a load balancer, a
container healthcheck or a person with curl needs). ``/metrics`` is Prometheus's text format.
"""

from __future__ import annotations

import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.app import App

log = logging.getLogger(__name__)


class OpsServer:
    def __init__(self, app: App, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> int:
        """Start listening; returns the port (useful with port 0)."""
        web_app = web.Application()
        web_app.router.add_get("/healthz", self._healthz)
        web_app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        log.info("health and metrics on http://%s:%d", self.host, self.port)
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _healthz(self, _request: web.Request) -> web.Response:
        ready, why = await self.app.health()
        return web.Response(status=200 if ready else 503, text=why + "\n")

    async def _metrics(self, _request: web.Request) -> web.Response:
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

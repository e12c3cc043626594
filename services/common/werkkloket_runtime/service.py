"""What every service process owns, built once by its composition root (`bootstrap.py`): one broker, one
engine, the unit-of-work factory, the outbox relay, the consumer, the scheduler and the HTTP app."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from faststream import FastStream
from faststream.specification import AsyncAPI
from sqlalchemy import Table
from swagger_ui_bundle import swagger_ui_path
from werkkloket_contracts import DEAD_LETTERS, SLEUTELS, Topic, source_of

from . import logboek_http, persoonsgegevens, verwijdering
from .clock import Clock, SystemClock
from .consumer import EventConsumer
from .db import make_engine, migrate_async
from .http import install_problem_handlers
from .kafka import make_broker, verify_topics
from .logboek import Logboek
from .logs import configure_logging
from .outbox import OutboxRelay
from .replay import Replay
from .scheduler import Scheduler
from .settings import ServiceSettings
from .sleutelring import Sleutelring
from .subscribers import EventRouter
from .unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)


class ServiceRuntime:
    """Everything one service process owns; built once from settings (tests point it anywhere)."""

    def __init__(
        self,
        name: str,
        settings: ServiceSettings,
        *,
        migrations_dir: Path,
        schema: str,
        inbox: Table,
        outbox: Table | None = None,
        clock: Clock | None = None,
        migration_attributes: Mapping[str, object] | None = None,
        bewijzen: Table | None = None,
        gewisten_overslaan: bool = True,
    ) -> None:
        self.name = name
        # The erasure receipts (see `verwijdering`); an event about an erased person is skipped unless the service
        # keeps anonymous counts that a replay must equal (`gewisten_overslaan=False`).
        self.bewijzen = bewijzen
        self.gewisten_overslaan = gewisten_overslaan
        # What the service's revisions may need besides the connection (`context.config.attributes`).
        self.migration_attributes = dict(migration_attributes or {})
        # How the right of access shows a row to the asking gemeente (see `persoonsgegevens`); None: as stored.
        self.inzage_weergave: persoonsgegevens.Rijweergave | None = None
        self.settings = settings
        self.schema = schema
        self.migrations_dir = migrations_dir
        self.inbox = inbox
        self.broker = make_broker(settings.kafka(), client_id=f"{name}-{settings.instance_id}")
        self.engine = make_engine(settings.database_url)
        self.relay = OutboxRelay(self.engine, outbox, self.broker) if outbox is not None else None
        self.tokens = settings.tokens()
        self.write_limit = settings.write_limit()
        self.clock: Clock = clock or SystemClock()
        self.logboek = Logboek.voor(name, schema)
        # A service that reads persons' encrypted fields holds their keys (see `sleutelring`).
        self.sleutelring: Sleutelring | None = None
        if name in SLEUTELS.consumers and settings.sleutels_file is not None:
            self.sleutelring = Sleutelring(name, settings.sleutels().kek, settings.kafka())
        self.units = UnitOfWorkFactory(
            self.engine,
            outbox,
            self.clock,
            source_of(name),
            on_commit=self.wake_relay,
            logboek=self.logboek,
            sleutelring=self.sleutelring,
        )
        self.scheduler = Scheduler(self.engine, name)
        self.scheduler.ready = lambda: self.ready
        self.consumers: list[EventConsumer] = []
        # The topics this service reads or writes (verified at start; the dead-letter topic is always used).
        self.topics: dict[str, Topic] = {DEAD_LETTERS.name: DEAD_LETTERS}
        if self.sleutelring is not None:
            self.topics[SLEUTELS.name] = SLEUTELS
        self.ready = False
        # Start-up steps that need the migrated schema and must finish before any event is consumed.
        self.before_consuming: list[Callable[[], Awaitable[None]]] = []
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def group_id(self) -> str:
        return f"werkkloket-{self.name}"

    def wake_relay(self) -> None:
        if self.relay is not None:
            self.relay.wake()

    def consume(self, router: EventRouter) -> EventConsumer:
        """Subscribe the router's handlers, as this service's consumer group."""
        consumer = EventConsumer(
            broker=self.broker,
            engine=self.engine,
            units=self.units,
            inbox=self.inbox,
            group_id=self.group_id,
            handlers=router.handlers,
            after_commit=self.wake_relay,
            transient_retry_seconds=self.settings.transient_retry_seconds,
            max_attempts=self.settings.max_handler_attempts,
            erased=self.bewijzen if self.gewisten_overslaan else None,
        )
        consumer.subscribe(t.name for t in router.topics)
        self.topics.update((t.name, t) for t in router.topics)
        self.consumers.append(consumer)
        return consumer

    def replay(self, batch_size: int = 5000) -> Replay:
        """A rebuild of this service's read model from the log (see `replay.Replay`).

        Only a service that publishes nothing (no outbox) holds a pure read model of the events; the others
        hold decisions and input of their own that the log alone cannot give back.
        """
        if self.relay is not None:
            raise ValueError(f"{self.name} is not a read model: it publishes events and holds its own decisions")
        return Replay(
            engine=self.engine,
            database_url=self.settings.database_url,
            kafka=self.settings.kafka(),
            schema=self.schema,
            migrations_dir=self.migrations_dir,
            consumers=self.consumers,
            batch_size=batch_size,
            sleutelring=self.sleutelring,
        )

    def publishes(self, *topics: Topic) -> None:
        """Declare what this service publishes (for the AsyncAPI document; the outbox relay does the sending)."""
        self.topics.update((t.name, t) for t in topics)
        for topic, event in ((t, e) for t in topics for e in t.events):
            self.broker.publisher(
                topic.name,
                title=f"{topic.name}:{event.event_name}",
                description=f"CloudEvents type {event.ce_type()}, key = {event.sleutel}",
                schema=event,
            )

    def asyncapi(self, description: str) -> FastStream:
        return FastStream(
            self.broker,
            specification=AsyncAPI(
                title=f"werkkloket-{self.name}",
                version="1.0.0",
                description=description,
                schema_version="3.0.0",
            ),
        )

    def asyncapi_document(self, description: str) -> dict[str, Any]:
        spec = self.asyncapi(description).schema.to_specification()
        doc: dict[str, Any] = spec.to_jsonable()
        return doc

    @contextlib.asynccontextmanager
    async def lifespan(self, _: FastAPI | None = None) -> AsyncIterator[None]:
        if self.name in SLEUTELS.consumers and self.sleutelring is None:
            self.settings.sleutels()  # raises, saying that WERKKLOKET_SLEUTELS_FILE is not set
        await migrate_async(
            self.settings.database_url, self.migrations_dir, self.schema, attributes=self.migration_attributes
        )
        await verify_topics(self.settings.kafka(), self.topics.values())
        for step in self.before_consuming:
            await step()
        if self.sleutelring is not None:
            await self.sleutelring.start()  # every key known before the first event is applied
        await self.broker.start()
        if self.relay is not None:
            self._tasks.append(asyncio.create_task(self.relay.run(), name=f"{self.name}-outbox-relay"))
        await self.scheduler.start()
        self.ready = True
        log.info("%s ready", self.name)
        try:
            yield
        finally:
            self.ready = False
            await self.scheduler.stop()
            if self.relay is not None:
                self.relay.stop()
            for task in self._tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await asyncio.wait_for(task, timeout=10)
            # Lets in-flight handlers finish and commit (graceful_timeout), then closes the clients.
            await self.broker.stop()
            if self.sleutelring is not None:
                await self.sleutelring.stop()
            await self.engine.dispose()

    def http_app(self, *routers: APIRouter, title: str, description: str) -> FastAPI:
        app = FastAPI(
            title=title,
            description=description,
            version="1.0.0",
            lifespan=self.lifespan,
            docs_url=None,
            redoc_url=None,
        )
        if self.settings.docs:
            serve_docs(app, title)
        # What module-level routers reach through their dependencies (see `dependencies`).
        app.state.runtime = self
        app.state.tokens = self.tokens
        app.state.write_limit = self.write_limit
        app.state.units = self.units
        app.state.clock = self.clock
        app.state.logboek = self.logboek
        install_problem_handlers(app, self.settings.max_body_bytes)
        for router in (*routers, logboek_http.router, persoonsgegevens.router, verwijdering.router):
            app.include_router(router)

        @app.get("/health", include_in_schema=False)
        async def health() -> JSONResponse:
            status = 200 if self.ready else 503
            return JSONResponse({"service": self.name, "ready": self.ready}, status_code=status)

        @app.get("/asyncapi.json", include_in_schema=False)
        async def asyncapi_json() -> JSONResponse:
            return JSONResponse(self.asyncapi_document(description))

        return app


def serve_docs(app: FastAPI, title: str) -> None:
    """The OpenAPI page at /docs, with Swagger UI's assets served from this service (no CDN)."""
    app.mount("/docs-assets", StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=title,
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )


def serve(app: FastAPI, settings: ServiceSettings, service: str) -> None:
    configure_logging(service, settings.log_level)
    if settings.oidc_issuer is None:
        raise SystemExit(f"{service}: WERKKLOKET_OIDC_ISSUER is not set; the API accepts only the provider's tokens")
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_level=settings.log_level,
        log_config=None,  # logging is ours (configure_logging)
        timeout_graceful_shutdown=30,
        # Longer than clients keep idle connections (httpx: 5 s), so the client, not the server, closes an idle
        # keep-alive connection: no request is sent on a connection the server is closing.
        timeout_keep_alive=30,
        access_log=False,
    )

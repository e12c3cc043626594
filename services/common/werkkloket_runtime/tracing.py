"""W3C Trace Context through every service: an HTTP request and each event a consumer handles run in a span.

An incoming `traceparent` (HTTP header, or the CloudEvents `ce_traceparent` header of an event) makes the span a
child of the caller's; events published inside a span carry its `traceparent`, so one registration is one trace
from the gemeente's request through every service. The spans exist for their ids (the processing log, the
response's `traceparent`); nothing is exported. OpenTelemetry's SDK makes the ids and its propagator reads and
writes the headers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from werkkloket_contracts import Envelope

TRACEPARENT = "traceparent"

_propagator = TraceContextTextMapPropagator()
# Our own provider (not the global one): no processor, so spans are made for their ids and dropped at their end.
_tracer = TracerProvider().get_tracer("werkkloket")


@dataclass(frozen=True)
class SpanIds:
    """The ids of the current span, as lower-case hex (trace 32, span 16 characters)."""

    trace_id: str
    span_id: str
    parent_span_id: str | None
    begin: datetime | None = None  # when the span started (the request's or the event's handling)


def huidige() -> SpanIds | None:
    """The current span's ids; None outside any span."""
    span = trace.get_current_span()
    ctx = span.get_span_context()
    if not ctx.is_valid:
        return None
    parent = getattr(span, "parent", None)
    start_ns: int | None = getattr(span, "start_time", None)
    return SpanIds(
        trace.format_trace_id(ctx.trace_id),
        trace.format_span_id(ctx.span_id),
        trace.format_span_id(parent.span_id) if parent is not None and parent.is_valid else None,
        datetime.fromtimestamp(start_ns / 1e9, UTC) if start_ns else None,
    )


def traceparent() -> str | None:
    """The current span's `traceparent` header value; None outside any span."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get(TRACEPARENT)


@contextmanager
def span(name: str, parent: str | None, kind: SpanKind = SpanKind.INTERNAL) -> Iterator[None]:
    """Run the block in a new span: a child of `parent` (a traceparent value) when it is valid, else a new trace."""
    context = _propagator.extract({TRACEPARENT: parent}) if parent else None
    with _tracer.start_as_current_span(name, context=context, kind=kind, record_exception=False):
        yield


@contextmanager
def event_span(envelope: Envelope[Any]) -> Iterator[None]:
    """Handling one event: a child of the span that published it (its `ce_traceparent`)."""
    with span(f"process {envelope.type}", envelope.traceparent, SpanKind.CONSUMER):
        yield


class Tracing:
    """ASGI middleware: each HTTP request runs in a span, a child of the caller's `traceparent` if it sent one;
    the response names the span in its own `traceparent` header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with span(f"{scope['method']} {scope['path']}", Headers(scope=scope).get(TRACEPARENT), SpanKind.SERVER):
            own = traceparent()

            async def with_traceparent(message: Message) -> None:
                if message["type"] == "http.response.start" and own is not None:
                    MutableHeaders(scope=message)[TRACEPARENT] = own
                await send(message)

            await self.app(scope, receive, with_traceparent)

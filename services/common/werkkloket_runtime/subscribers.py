"""Module-level event subscribers: a service's entrypoints declare which handler applies which event type,
and the composition root hands the router to the runtime (like FastStream's routers, for our batch consumer)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from werkkloket_contracts import Envelope, Gebeurtenis, Topic

from .batching import Batched, Rij
from .consumer import Handler

H = TypeVar("H", bound=Handler)


class EventRouter:
    """The topics a service reads and, per event type, its subscriber."""

    def __init__(self, *topics: Topic) -> None:
        self.topics: tuple[Topic, ...] = topics
        self.handlers: dict[type[Gebeurtenis], Handler | Batched] = {}

    def _add(self, types: Iterable[type[Gebeurtenis]], handler: Handler | Batched) -> None:
        for t in types:
            if t in self.handlers:
                raise ValueError(f"{t.__name__} has a subscriber already")
            if not any(t in topic.events for topic in self.topics):
                raise ValueError(f"{t.__name__} is on none of the topics {[x.name for x in self.topics]}")
            self.handlers[t] = handler

    def subscriber(self, *types: type[Gebeurtenis]) -> Callable[[H], H]:
        """A handler `(uow, envelope)` that applies the events of these types."""

        def register(handler: H) -> H:
            self._add(types, handler)
            return handler

        return register

    def batched(
        self, *types: type[Gebeurtenis], opent: bool = False
    ) -> Callable[[Callable[[Envelope[Any]], Iterable[Rij]]], Callable[[Envelope[Any]], Iterable[Rij]]]:
        """A handler that returns its statements, run set-based across a batch (see `batching.Batched`);
        `opent`: it opens its events' encrypted parts (`Sleutelring.open_bekend`)."""

        def register(rows: Callable[[Envelope[Any]], Iterable[Rij]]) -> Callable[[Envelope[Any]], Iterable[Rij]]:
            self._add(types, Batched(rows, opent))
            return rows

        return register

    def include(self, other: EventRouter) -> None:
        """Join another router's subscribers (one consumer group for the whole service)."""
        self.topics = tuple(dict.fromkeys((*self.topics, *other.topics)))
        for t, handler in other.handlers.items():
            if t in self.handlers:
                raise ValueError(f"{t.__name__} has a subscriber already")
            self.handlers[t] = handler

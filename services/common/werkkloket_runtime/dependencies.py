"""FastAPI dependencies that module-level routers use to reach what the composition root built."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from .clock import Clock
from .unit_of_work import UnitOfWorkFactory


def _units(request: Request) -> UnitOfWorkFactory:
    units: UnitOfWorkFactory = request.app.state.units
    return units


def _engine(request: Request) -> AsyncEngine:
    return _units(request).engine


def _clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


Units = Annotated[UnitOfWorkFactory, Depends(_units)]
Engine = Annotated[AsyncEngine, Depends(_engine)]
ClockDep = Annotated[Clock, Depends(_clock)]

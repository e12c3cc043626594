"""What the reports' endpoints need from the composition root: the programme's settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..domain.instellingen import Instellingen


def _instellingen(request: Request) -> Instellingen:
    instellingen: Instellingen = request.app.state.instellingen
    return instellingen


InstellingenDep = Annotated[Instellingen, Depends(_instellingen)]

"""`werkkloket audit`: a gemeente's processing log across every service, newest first, as a table or CSV
(`als_csv`, the services' own columns)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

import httpx
from werkkloket_runtime.logboek_http import als_csv


def lees(
    urls: Mapping[str, str],
    token: str,
    *,
    kandidaat_id: UUID | None = None,
    trace_id: str | None = None,
    van: date | None = None,
    tot: date | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """The records of every service's log about the caller's inhabitants (each service answers for its own)."""
    params: dict[str, str | int] = {"limit": limit}
    for name, value in (("kandidaat_id", kandidaat_id), ("trace_id", trace_id), ("van", van), ("tot", tot)):
        if value is not None:
            params[name] = str(value)
    records: list[dict[str, Any]] = []
    with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
        for url in urls.values():
            response = client.get(f"{url}/api/v1/logboek", params=params)
            response.raise_for_status()
            records.extend(response.json())
    records.sort(key=lambda r: (r["start_time"], r["span_id"]), reverse=True)
    return records[:limit]


def als_tabel(records: list[dict[str, Any]]) -> str:
    """One line per record: when, where, what, about whom, by whom, why, in which trace."""
    lines = [
        f"{r['start_time'][:19]}  {r['dienst']:<9} {r['name']:<32} {r['data_subject_id']}  "
        f"{r['organisatie']}/{r['persoon'] or r['rol']}  {r['processing_activity_id']}  trace {r['trace_id']}"
        for r in records
    ]
    return "\n".join(lines) if lines else "(geen verwerkingen)"


__all__ = ["als_csv", "als_tabel", "lees"]

"""Statement helpers shared by matching's adapters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, Table
from sqlalchemy.dialects.postgresql import Insert, insert


def upsert(table: Table, key: Column[Any], bijwerken: Iterable[str], **waarden: Any) -> Insert:
    """Insert a row, or update these columns of the row with the same key."""
    stmt = insert(table).values(**waarden)
    return stmt.on_conflict_do_update(index_elements=[key], set_={k: stmt.excluded[k] for k in bijwerken})

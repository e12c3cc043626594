"""What the gemeente and the assigned agency may read, on a connection of the caller's choice."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection
from werkkloket_runtime.errors import NotFound

from ..adapters import aanmeldingen, doorverwijzing
from ..domain.aanmelding import Aanmelding, Contact, Status
from ..domain.gemeenten import Namens


async def eigen_aanmelding(
    conn: AsyncConnection, aanmelding_id: UUID, namens: Namens, *, vergrendel: bool = False
) -> Aanmelding:
    """A registration of the caller's gemeente; `vergrendel` locks it until the transaction ends (to change it)."""
    a = await aanmeldingen.met_id(conn, aanmelding_id, vergrendel=vergrendel)
    if a is None or not a.zichtbaar_voor(namens):
        raise NotFound(f"aanmelding {aanmelding_id} bestaat niet")
    return a


async def eigen_aanmeldingen(
    conn: AsyncConnection, namens: Namens, status: Status | None, limit: int
) -> list[Aanmelding]:
    """The caller's gemeente's registrations, newest first."""
    return await aanmeldingen.lijst(conn, namens.gemeenten, status, limit)


async def eigen_kandidaat(conn: AsyncConnection, kandidaat_id: UUID, namens: Namens) -> Aanmelding:
    a = await aanmeldingen.van_kandidaat(conn, kandidaat_id)
    if a is None or not a.zichtbaar_voor(namens):
        raise NotFound(f"kandidaat {kandidaat_id} bestaat niet")
    return a


async def contact(conn: AsyncConnection, kandidaat_id: UUID, uitzendbureau: Namens) -> Contact:
    """The contact data, for the agency the candidate is assigned to only."""
    a = await aanmeldingen.van_kandidaat(conn, kandidaat_id)
    if a is None:
        raise NotFound(f"kandidaat {kandidaat_id} bestaat niet")
    return a.contact_voor(uitzendbureau)


async def doorverwezen(conn: AsyncConnection, gemeente: str, namens: Namens) -> list[int]:
    """The screening categories this gemeente hands to agencies."""
    return sorted(await doorverwijzing.categorieen(conn, namens.eigen_gemeente(gemeente)))

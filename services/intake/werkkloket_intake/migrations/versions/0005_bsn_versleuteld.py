"""intake: the BSN encrypted under a data key per person; BSN and duplicate key searched by keyed hash only

Every kandidaat gets a data key of its own (random, AES-256), kept in `persoonssleutels` wrapped (AES-GCM) under
intake's key-encryption key; the BSN becomes `bsn_versleuteld` (AES-GCM under the person's key, bound to the
kandidaat and the field), and the BSN and the duplicate key become HMAC-SHA256 values (`bsn_hmac`,
`dubbel_sleutel_hmac`). The plain `bsn` and `dubbel_sleutel` are dropped in the same transaction: no plain value
outlives this revision, and no later step is needed.

The rows already there are converted with the keys the service starts with (WERKKLOKET_SLEUTELS_FILE, handed to the
revisions as `context.config.attributes["sleutels"]`); when there are rows and no keys, the revision refuses and
nothing changes.

Possible duplicates become {"id", "gemeente"}: which of them a caller sees by id is decided per caller.

Revision ID: 0005
Revises: 0004
"""

from typing import Any

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql as pg
from werkkloket_runtime.migrations import effective_schema
from werkkloket_runtime.versleuteling import (
    Sleutels,
    aad,
    nieuwe_sleutel,
    ontsleutel,
    pak_uit,
    sleutel_hash,
    verpak,
    versleutel,
)

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SCHEMA = "intake"
BATCH = 1000
# As in werkkloket_intake.adapters.persoonssleutels (frozen here: what this revision writes never changes).
SLEUTEL = "intake.persoonssleutels"
BSN = "intake.aanmeldingen.bsn"
HASH_BSN = "bsn"
HASH_DUBBEL = "dubbel_sleutel"


def _sleutels(rijen: int) -> Sleutels:
    sleutels = context.config.attributes.get("sleutels")
    if not isinstance(sleutels, Sleutels):
        raise RuntimeError(
            f"intake revision 0005 encrypts the BSNs of {rijen} existing registration(s) and needs intake's keys: "
            "start intake with WERKKLOKET_SLEUTELS_FILE"
        )
    return sleutels


def _bsn(waarde: str) -> str:
    return "".join(waarde.split()).replace(".", "")


def _aanmeldingen(schema: str, *extra: sa.ColumnClause[Any]) -> sa.TableClause:
    return sa.table(
        "aanmeldingen",
        sa.column("id", pg.UUID(as_uuid=True)),
        sa.column("kandidaat_id", pg.UUID(as_uuid=True)),
        *extra,
        schema=schema,
    )


def _sleuteltabel(schema: str) -> sa.TableClause:
    return sa.table(
        "persoonssleutels",
        sa.column("kandidaat_id", pg.UUID(as_uuid=True)),
        sa.column("sleutel_versleuteld", sa.LargeBinary),
        schema=schema,
    )


def _versleutel_bestaande(schema: str) -> None:
    """A data key for every kandidaat; each plain BSN encrypted and hashed, each duplicate key hashed."""
    bind = op.get_bind()
    t = _aanmeldingen(
        schema,
        sa.column("bsn", sa.String),
        sa.column("dubbel_sleutel", sa.String),
        sa.column("bsn_versleuteld", sa.LargeBinary),
        sa.column("bsn_hmac", sa.LargeBinary),
        sa.column("dubbel_sleutel_hmac", sa.LargeBinary),
    )
    rijen = bind.scalar(sa.select(sa.func.count()).select_from(t)) or 0
    if not rijen:
        return
    s = _sleutels(rijen)
    wijzig = (
        sa.update(t)
        .where(t.c.id == sa.bindparam("_id"))
        .values(
            bsn_versleuteld=sa.bindparam("_bsn"), bsn_hmac=sa.bindparam("_bh"), dubbel_sleutel_hmac=sa.bindparam("_dh")
        )
    )
    laatste = None
    while True:
        query = sa.select(t.c.id, t.c.kandidaat_id, t.c.bsn, t.c.dubbel_sleutel).order_by(t.c.id).limit(BATCH)
        rows = bind.execute(query.where(t.c.id > laatste) if laatste is not None else query).all()
        if not rows:
            return
        sleutels, waarden = [], []
        for r in rows:
            data, wie = nieuwe_sleutel(), str(r.kandidaat_id)
            verpakt = verpak(s.kek, data, aad(SLEUTEL, wie))
            sleutels.append({"kandidaat_id": r.kandidaat_id, "sleutel_versleuteld": verpakt})
            bsn = _bsn(r.bsn) if r.bsn else None
            waarden.append(
                {
                    "_id": r.id,
                    "_bsn": versleutel(data, bsn.encode(), aad(BSN, wie)) if bsn else None,
                    "_bh": sleutel_hash(s.hmac, HASH_BSN, bsn) if bsn else None,
                    "_dh": sleutel_hash(s.hmac, HASH_DUBBEL, r.dubbel_sleutel) if r.dubbel_sleutel else None,
                }
            )
        bind.execute(sa.insert(_sleuteltabel(schema)), sleutels)
        bind.execute(wijzig, waarden)
        laatste = rows[-1].id


def upgrade() -> None:
    schema = effective_schema(SCHEMA)
    op.create_table(
        "persoonssleutels",
        sa.Column("kandidaat_id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("sleutel_versleuteld", sa.LargeBinary, nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema=schema,
    )
    for column in ("bsn_versleuteld", "bsn_hmac", "dubbel_sleutel_hmac"):
        op.add_column("aanmeldingen", sa.Column(column, sa.LargeBinary, nullable=True), schema=schema)
    _versleutel_bestaande(schema)
    op.drop_index("aanmeldingen_dubbel_sleutel", "aanmeldingen", schema=schema)
    op.drop_index("aanmeldingen_bsn", "aanmeldingen", schema=schema)
    op.drop_column("aanmeldingen", "dubbel_sleutel", schema=schema)
    op.drop_column("aanmeldingen", "bsn", schema=schema)
    op.create_index("aanmeldingen_bsn_hmac", "aanmeldingen", ["bsn_hmac"], schema=schema)
    op.create_index("aanmeldingen_dubbel_sleutel_hmac", "aanmeldingen", ["dubbel_sleutel_hmac"], schema=schema)
    # ["<id>", ...] -> [{"id": "<id>", "gemeente": "<its gemeente>"}, ...], in the same order.
    op.execute(
        f'UPDATE "{schema}".aanmeldingen a SET mogelijke_dubbelingen = ('
        "SELECT coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'gemeente', d.gemeente) ORDER BY e.n), '[]') "
        "FROM jsonb_array_elements_text(a.mogelijke_dubbelingen) WITH ORDINALITY AS e(id, n) "
        f'JOIN "{schema}".aanmeldingen d ON d.id = CAST(e.id AS uuid)) '
        "WHERE jsonb_typeof(a.mogelijke_dubbelingen -> 0) = 'string'"
    )


def _ontsleutel_bestaande(schema: str) -> None:
    """Back to the plain BSN (with the keys), and the duplicate key as the service made it."""
    bind = op.get_bind()
    t = _aanmeldingen(schema, sa.column("bsn", sa.String), sa.column("bsn_versleuteld", sa.LargeBinary))
    k = _sleuteltabel(schema)
    rows = bind.execute(
        sa.select(t.c.id, t.c.kandidaat_id, t.c.bsn_versleuteld, k.c.sleutel_versleuteld)
        .select_from(t.join(k, k.c.kandidaat_id == t.c.kandidaat_id))
        .where(t.c.bsn_versleuteld.is_not(None))
    ).all()
    if rows:
        s = _sleutels(len(rows))
        waarden = []
        for r in rows:
            wie = str(r.kandidaat_id)
            data = pak_uit(s.kek, r.sleutel_versleuteld, aad(SLEUTEL, wie))
            waarden.append({"_id": r.id, "_bsn": ontsleutel(data, r.bsn_versleuteld, aad(BSN, wie)).decode()})
        bind.execute(sa.update(t).where(t.c.id == sa.bindparam("_id")).values(bsn=sa.bindparam("_bsn")), waarden)
    op.execute(
        f'UPDATE "{schema}".aanmeldingen SET dubbel_sleutel = '
        "regexp_replace(lower(btrim(naam)), '\\s+', ' ', 'g') || '|' || CAST(geboortedatum AS text) || '|' || "
        "upper(replace(postcode, ' ', '')) WHERE geboortedatum IS NOT NULL AND coalesce(postcode, '') <> ''"
    )


def downgrade() -> None:
    schema = effective_schema(SCHEMA)
    op.execute(
        f'UPDATE "{schema}".aanmeldingen a SET mogelijke_dubbelingen = ('
        "SELECT coalesce(jsonb_agg(e.d -> 'id' ORDER BY e.n), '[]') "
        "FROM jsonb_array_elements(a.mogelijke_dubbelingen) WITH ORDINALITY AS e(d, n)) "
        "WHERE jsonb_typeof(a.mogelijke_dubbelingen -> 0) = 'object'"
    )
    op.add_column("aanmeldingen", sa.Column("bsn", sa.String(9), nullable=True), schema=schema)
    op.add_column("aanmeldingen", sa.Column("dubbel_sleutel", sa.String(400), nullable=True), schema=schema)
    _ontsleutel_bestaande(schema)
    op.drop_index("aanmeldingen_dubbel_sleutel_hmac", "aanmeldingen", schema=schema)
    op.drop_index("aanmeldingen_bsn_hmac", "aanmeldingen", schema=schema)
    for column in ("dubbel_sleutel_hmac", "bsn_hmac", "bsn_versleuteld"):
        op.drop_column("aanmeldingen", column, schema=schema)
    op.drop_table("persoonssleutels", schema=schema)
    op.create_index("aanmeldingen_bsn", "aanmeldingen", ["bsn"], schema=schema)
    op.create_index("aanmeldingen_dubbel_sleutel", "aanmeldingen", ["dubbel_sleutel"], schema=schema)

"""The report queries. Every figure is as of a peildatum and is computed from dates that came from events,
so the same events give the same report, live or rebuilt."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, and_, case, cast, extract, func, literal, or_, select, text
from sqlalchemy import Text as SqlText
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from ..domain.besparing import Besparing
from ..domain.besparing import besparing as schat_besparing
from ..domain.funnel import DUURZAAM_MAANDEN, STAPPEN, Funnel, percentage
from ..domain.instellingen import Instellingen
from ..domain.vraag import Vraag
from .tables import funnel_kandidaten as f
from .tables import plaatsingen as p


def _dagen(later: Any, eerder: Any) -> ColumnElement[Any]:
    return cast(later - eerder, Integer)


# Each placement with its candidate's funnel row.
MET_KANDIDAAT = p.join(f, f.c.kandidaat_id == p.c.kandidaat_id)
# The day of assignment, as Dutch days, shifted back with an earlier aanmelddatum: a stored generated column.
TOEGEWEZEN_DAG = f.c.toegewezen_dag


def _op(column: Any, peildatum: date) -> ColumnElement[bool]:
    return and_(column.is_not(None), column <= peildatum)


def _mijlpaal(maanden: int) -> ColumnElement[Any]:
    return cast(p.c.startdatum + func.make_interval(0, maanden), Date)


def _duurzaam(maanden: int, peildatum: date) -> ColumnElement[bool]:
    """This placement lasted `maanden` months, as far as known on the peildatum (and it is confirmed)."""
    m = _mijlpaal(maanden)
    return and_(
        _op(f.c.bevestigd_op, peildatum),
        m <= peildatum,
        or_(p.c.einddatum.is_(None), p.c.einddatum >= m),
        or_(f.c.herinstroom_op.is_(None), f.c.herinstroom_op > m),
    )


def _beoordeelbaar(maanden: int, peildatum: date) -> ColumnElement[bool]:
    return and_(_op(f.c.bevestigd_op, peildatum), _op(p.c.startdatum, peildatum), _mijlpaal(maanden) <= peildatum)


def _voorwaarden(v: Vraag) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = []
    if v.regio:
        c.append(f.c.arbeidsmarktregio == v.regio)
    if v.gemeente:
        c.append(f.c.gemeente == v.gemeente)
    if v.gemeenten is not None:
        c.append(f.c.gemeente.in_(sorted(v.gemeenten)))
    if v.regios is not None:
        c.append(f.c.arbeidsmarktregio.in_(sorted(v.regios)))
    if v.uitzendbureau:
        c.append(f.c.uitzendbureau == v.uitzendbureau)
    if v.categorie is not None:
        c.append(f.c.categorie == v.categorie)
    if v.doelgroep:
        c.append(f.c.doelgroep == v.doelgroep)
    if v.van:
        c.append(f.c.aangemeld_dag >= v.van)
    if v.tot:
        c.append(f.c.aangemeld_dag <= v.tot)
    return c


def groep_kolom(groepeer: str) -> ColumnElement[Any]:
    kolommen: dict[str, ColumnElement[Any]] = {
        "uitzendbureau": f.c.uitzendbureau,
        "gemeente": f.c.gemeente,
        "regio": f.c.arbeidsmarktregio,
        "categorie": cast(f.c.categorie, SqlText()),
        "doelgroep": f.c.doelgroep,
        "maand": func.to_char(f.c.aangemeld_dag, "YYYY-MM"),
        "kwartaal": func.to_char(f.c.aangemeld_dag, 'YYYY-"Q"Q'),
        "jaar": func.to_char(f.c.aangemeld_dag, "YYYY"),
    }
    return kolommen[groepeer]


def _geplaatst(peildatum: date) -> ColumnElement[bool]:
    """Placed: the placement started and was confirmed by the gemeente or the candidate, both by the peildatum."""
    return and_(_op(f.c.geplaatst_op, peildatum), _op(f.c.bevestigd_op, peildatum))


def _per_kandidaat(v: Vraag) -> Any:
    return (
        select(p.c.kandidaat_id, func.bool_or(_duurzaam(v.duurzaam_maanden, v.peildatum)).label("duurzaam"))
        .select_from(MET_KANDIDAAT)
        .where(_op(p.c.startdatum, v.peildatum))
        .group_by(p.c.kandidaat_id)
        .subquery("per_kandidaat")
    )


def _funnel_kolommen(v: Vraag, pk: Any) -> list[Any]:
    d = v.peildatum
    aangemeld = _op(f.c.aangemeld_dag, d)
    return [
        func.count().filter(aangemeld).label("aangemeld"),
        func.count().filter(and_(aangemeld, f.c.volledig.is_(True))).label("volledig"),
        func.count().filter(_op(TOEGEWEZEN_DAG, d)).label("toegewezen"),
        func.count().filter(_op(f.c.eerste_contact_op, d)).label("eerste_contact"),
        func.count().filter(_op(f.c.gesprek_op, d)).label("gesprek"),
        func.count().filter(_geplaatst(d)).label("geplaatst"),
        func.count().filter(and_(_geplaatst(d), pk.c.duurzaam.is_(True))).label("duurzaam"),
        func.count().filter(and_(_op(f.c.geplaatst_op, d), ~_op(f.c.bevestigd_op, d))).label("geclaimd"),
    ]


def _als_funnel(row: Any) -> Funnel:
    return Funnel(**{k: row._mapping[k] for k in (*STAPPEN, "geclaimd")}).met_conversie()


async def funnel(
    conn: AsyncConnection, v: Vraag, groepeer: str | None = None, per_bureau: bool = False
) -> tuple[Funnel, list[tuple[str | None, Funnel]], list[tuple[str | None, Funnel]]]:
    """The funnel in total, per `groepeer` and (when asked) per uitzendbureau: one scan (GROUPING SETS)."""
    pk = _per_kandidaat(v)
    bron = f.outerjoin(pk, pk.c.kandidaat_id == f.c.kandidaat_id)
    sets: list[tuple[str, ColumnElement[Any]]] = []
    if groepeer:
        sets.append(("groep", groep_kolom(groepeer)))
    if per_bureau and groepeer != "uitzendbureau":
        sets.append(("bureau", f.c.uitzendbureau))
    kolommen = [k.label(naam) for naam, k in sets]
    # grouping(...) is 1 for each column a row is not grouped by: tells total, group and agency rows apart.
    markers = [func.grouping(k).label(f"zonder_{naam}") for naam, k in sets]
    query = select(*kolommen, *markers, *_funnel_kolommen(v, pk)).select_from(bron).where(*_voorwaarden(v))
    if sets:
        query = query.group_by(func.grouping_sets(text("()"), *(k for _, k in sets)))
    totaal: Funnel | None = None
    per: dict[str, list[tuple[str | None, Funnel]]] = {"groep": [], "bureau": []}
    for r in (await conn.execute(query)).all():
        m = r._mapping
        grouped = [naam for naam, _ in sets if m[f"zonder_{naam}"] == 0]
        if not grouped:
            totaal = _als_funnel(r)
        else:
            waarde = m[grouped[0]]
            per[grouped[0]].append((None if waarde is None else str(waarde), _als_funnel(r)))
    for rows in per.values():
        rows.sort(key=lambda x: (x[0] is None, x[0] or ""))
    assert totaal is not None
    bureaus = per["groep"] if per_bureau and groepeer == "uitzendbureau" else per["bureau"]
    return totaal, per["groep"], bureaus


async def doorlooptijden(
    conn: AsyncConnection, v: Vraag, termijn_dagen: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Days from registration to first contact and to placement (p50, p90), and contact deadline breaches."""
    d = v.peildatum
    aangemeld = _op(f.c.aangemeld_dag, d)
    contact = case((and_(aangemeld, _op(f.c.eerste_contact_op, d)), _dagen(f.c.eerste_contact_op, f.c.aangemeld_dag)))
    plaatsing = case((and_(aangemeld, _geplaatst(d)), _dagen(f.c.geplaatst_op, f.c.aangemeld_dag)))
    # The agency acted by first contact or by giving the candidate back; without either, the clock runs on.
    gehandeld = func.least(
        case((_op(f.c.eerste_contact_op, d), f.c.eerste_contact_op)),
        case((_op(f.c.afgewezen_op, d), f.c.afgewezen_op)),
    )
    contact_of_peildatum = func.coalesce(gehandeld, literal(d, Date))
    te_laat = and_(_op(TOEGEWEZEN_DAG, d), _dagen(contact_of_peildatum, TOEGEWEZEN_DAG) > termijn_dagen)
    kolommen = [
        func.count(contact).label("contact_aantal"),
        func.percentile_cont(0.5).within_group(contact).label("contact_p50"),
        func.percentile_cont(0.9).within_group(contact).label("contact_p90"),
        func.count(plaatsing).label("plaatsing_aantal"),
        func.percentile_cont(0.5).within_group(plaatsing).label("plaatsing_p50"),
        func.percentile_cont(0.9).within_group(plaatsing).label("plaatsing_p90"),
        func.count().filter(_op(TOEGEWEZEN_DAG, d)).label("toegewezen"),
        func.count().filter(te_laat).label("termijn_overschreden"),
    ]

    def rij(r: Any) -> dict[str, Any]:
        out = dict(r._mapping)
        for k in ("contact_p50", "contact_p90", "plaatsing_p50", "plaatsing_p90"):
            out[k] = None if out[k] is None else round(float(out[k]), 1)
        return out

    where = _voorwaarden(v)
    totaal = (await conn.execute(select(*kolommen).where(*where))).one()
    rows = (
        await conn.execute(
            select(f.c.uitzendbureau, *kolommen)
            .where(*where, f.c.uitzendbureau.is_not(None))
            .group_by(f.c.uitzendbureau)
            .order_by(f.c.uitzendbureau)
        )
    ).all()
    return rij(totaal), [rij(r) for r in rows]


async def plaatsingen_per_maand(conn: AsyncConnection, v: Vraag) -> list[dict[str, Any]]:
    d = v.peildatum
    bevestigd = _op(f.c.bevestigd_op, d)
    maand = func.to_char(p.c.startdatum, "YYYY-MM").label("maand")
    rows = (
        await conn.execute(
            select(
                maand,
                func.count().filter(bevestigd).label("geplaatst"),
                func.count().filter(~bevestigd).label("geclaimd"),
                func.count().filter(_beoordeelbaar(v.duurzaam_maanden, d)).label("beoordeelbaar"),
                func.count().filter(_duurzaam(v.duurzaam_maanden, d)).label("duurzaam"),
            )
            .select_from(MET_KANDIDAAT)
            .where(*_voorwaarden(v), _op(p.c.startdatum, d))
            .group_by(maand)
            .order_by(maand)
        )
    ).all()
    return [dict(r._mapping) for r in rows]


async def duurzaamheid(conn: AsyncConnection, v: Vraag) -> list[dict[str, Any]]:
    """Per checkpoint (1, 3, 6, 12 months): confirmed placements old enough to judge, and how many lasted."""
    d = v.peildatum
    kolommen = [func.count().filter(and_(_op(f.c.bevestigd_op, d))).label("geplaatst")]
    for m in DUURZAAM_MAANDEN:
        kolommen.append(func.count().filter(_beoordeelbaar(m, d)).label(f"beoordeelbaar_{m}"))
        kolommen.append(func.count().filter(_duurzaam(m, d)).label(f"duurzaam_{m}"))
    row = (
        await conn.execute(select(*kolommen).select_from(MET_KANDIDAAT).where(*_voorwaarden(v), _op(p.c.startdatum, d)))
    ).one()
    return [
        {
            "maanden": m,
            "geplaatst": row.geplaatst,
            "beoordeelbaar": row._mapping[f"beoordeelbaar_{m}"],
            "duurzaam": row._mapping[f"duurzaam_{m}"],
            "percentage": percentage(row._mapping[f"duurzaam_{m}"], row._mapping[f"beoordeelbaar_{m}"]),
        }
        for m in DUURZAAM_MAANDEN
    ]


async def doelen(conn: AsyncConnection, v: Vraag, instellingen: Instellingen) -> dict[str, Any]:
    """Progress against the programmes' targets and each agency's agreed number of placements."""
    d = v.peildatum
    programmas = []
    for prog in instellingen.programmas:
        gerealiseerd = await conn.scalar(
            select(func.count()).where(
                *_voorwaarden(replace(v, gemeente=None)),
                f.c.gemeente.in_(prog.gemeenten),
                _geplaatst(d),
                f.c.geplaatst_op >= prog.van,
            )
        )
        programmas.append(
            {
                "code": prog.code,
                "naam": prog.naam,
                "doel": prog.doel,
                "gerealiseerd": int(gerealiseerd or 0),
                "voortgang": percentage(int(gerealiseerd or 0), prog.doel),
            }
        )
    per_bureau: dict[str, int] = {
        bureau: aantal
        for bureau, aantal in (
            await conn.execute(
                select(p.c.uitzendbureau, func.count(func.distinct(p.c.kandidaat_id)))
                .select_from(MET_KANDIDAAT)
                .where(*_voorwaarden(replace(v, uitzendbureau=None)), _op(p.c.startdatum, d), _op(f.c.bevestigd_op, d))
                .group_by(p.c.uitzendbureau)
            )
        ).all()
    }
    bureaus = sorted(set(instellingen.uitzendbureaus) | set(per_bureau))
    if v.uitzendbureau:
        bureaus = [b for b in bureaus if b == v.uitzendbureau]
    return {
        "programmas": programmas,
        "uitzendbureaus": [
            {
                "uitzendbureau": b,
                "afgesproken": instellingen.uitzendbureaus.get(b),
                "gerealiseerd": int(per_bureau.get(b, 0)),
                "voortgang": percentage(int(per_bureau.get(b, 0)), instellingen.uitzendbureaus.get(b, 0)),
            }
            for b in bureaus
        ],
    }


async def besparing(conn: AsyncConnection, v: Vraag, instellingen: Instellingen) -> Besparing:
    d = v.peildatum
    einde = func.least(p.c.einddatum, f.c.herinstroom_op - 1, literal(d, Date))
    leeftijd = func.age(einde, p.c.startdatum)
    maanden = extract("year", leeftijd) * 12 + extract("month", leeftijd)
    row = (
        await conn.execute(
            select(func.coalesce(func.sum(maanden), 0), func.count(func.distinct(p.c.kandidaat_id)))
            .select_from(MET_KANDIDAAT)
            .where(
                *_voorwaarden(v),
                f.c.doelgroep == "bijstand",
                _op(f.c.bevestigd_op, d),
                _op(p.c.startdatum, d),
                einde >= p.c.startdatum,
            )
        )
    ).one()
    totaal, personen = row
    return schat_besparing(int(totaal or 0), instellingen.normbedrag, d, personen=int(personen))

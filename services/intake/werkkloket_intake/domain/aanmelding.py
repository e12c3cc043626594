"""A registration: its status, its screening, and the events that hand it over to matching. No I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from werkkloket_contracts import (
    AanmeldingOntvangen,
    KandidaatGescreend,
    Persoonskenmerken,
    ProfielAangevuld,
    Reden,
    Toestemmingsdoel,
    Versleuteld,
    Werkervaringsperiode,
)
from werkkloket_contracts.referentie import Gemeente
from werkkloket_runtime.errors import Conflict, Invalid, NotFound

from . import screening
from .fouten import OngeldigeVelden
from .gemeenten import Namens, gemeente
from .profiel import Profiel, gecodeerde_velden, normaliseer_postcode


class Status(StrEnum):
    ONVOLLEDIG = "onvolledig"  # lacks what matching needs; not handed over
    MOGELIJK_DUBBEL = "mogelijk_dubbel"  # held until a consultant decides it is not a duplicate
    VERVALLEN = "vervallen"  # a consultant confirmed it is a duplicate
    BIJ_GEMEENTE = "bij_gemeente"  # its category stays with the gemeente
    ONTVANGEN = "ontvangen"  # handed over, waiting for matching
    TOEGEWEZEN = "toegewezen"
    NIET_TOEGEWEZEN = "niet_toegewezen"
    AFGEROND = "afgerond"  # no agency holds the candidate any more: the placement ended, or its follow-up is over
    BEEINDIGD = "beeindigd"  # the gemeente ended the mediation


# Where matching's assignment no longer moves the status.
NA_BEMIDDELING = (Status.BEEINDIGD, Status.VERVALLEN)


def na_toewijzing(uitzendbureau: str | None) -> Status:
    """The status once matching assigned the candidate to an agency, or to none."""
    return Status.TOEGEWEZEN if uitzendbureau else Status.NIET_TOEGEWEZEN


@dataclass(frozen=True)
class Beoordeling:
    """The screening category a registration has: by the rule, or set by a consultant with a reason."""

    categorie: int
    regelversie: str
    punten: int | None
    factoren: tuple[Reden, ...]
    naar_uitzendbureau: bool  # whether the gemeente hands this category to agencies
    handmatig: bool = False
    reden: str | None = None
    door: str | None = None

    @classmethod
    def volgens_regel(cls, s: screening.Screening, doorverwezen: frozenset[int]) -> Beoordeling:
        """The rule's category; `doorverwezen`: the categories the gemeente hands to agencies."""
        return cls(s.categorie, s.regelversie, s.punten, s.factoren, s.categorie in doorverwezen)

    def overschreven(self, categorie: int, reden: str, door: str, doorverwezen: frozenset[int]) -> Beoordeling:
        """A consultant's category, with a reason; the rule's points and factors stay on record."""
        return Beoordeling(
            categorie, screening.HANDMATIG, self.punten, self.factoren, categorie in doorverwezen, True, reden, door
        )


@dataclass(frozen=True)
class Dubbeling:
    """Another registration that may be the same person, and whose it is (its gemeente)."""

    id: UUID
    gemeente: str


@dataclass(frozen=True)
class Dubbelingen:
    """What a caller may know of a registration's possible duplicates: the ids in gemeenten it acts for, and
    whether there are others elsewhere (never which, nor whose)."""

    zichtbaar: tuple[UUID, ...]
    elders: bool

    @classmethod
    def voor(cls, dubbelingen: Sequence[Dubbeling], namens: Namens) -> Dubbelingen:
        """By id those in gemeenten the caller acts for; any others only as 'elsewhere'."""
        hier = tuple(d.id for d in dubbelingen if namens.ziet(d.gemeente))
        return cls(hier, len(hier) < len(dubbelingen))


@dataclass(frozen=True)
class Contact:
    """What the assigned agency may know to reach the candidate."""

    kandidaat_id: UUID
    naam: str
    telefoon: str | None
    email: str | None
    postcode: str | None
    gemeente: str  # whose inhabitant (for the processing log; not part of the answer)


@dataclass(frozen=True)
class Aanmelding:
    id: UUID
    kandidaat_id: UUID
    gemeente: str
    arbeidsmarktregio: str
    geregistreerd_door: str
    profiel: Profiel
    status: Status
    ontvangen_op: datetime
    uitzendbureau: str | None = None
    mogelijke_dubbelingen: tuple[Dubbeling, ...] = ()
    beoordeling: Beoordeling | None = None
    status_gewijzigd_op: datetime | None = None
    overgedragen_op: datetime | None = None
    # False once consent for the hand-off to an agency was withdrawn, or the mediation ended: no agency holds the
    # candidate or gets it again.
    overdracht_toegestaan: bool = True

    @classmethod
    def nieuw(
        cls,
        *,
        id: UUID,
        kandidaat_id: UUID,
        gemeente: Gemeente,
        door: str,
        profiel: Profiel,
        dubbelingen: tuple[Dubbeling, ...],
        ontvangen_op: datetime,
    ) -> Aanmelding:
        """A new registration: incomplete, held as a possible duplicate (here or in another gemeente), or ready
        to hand over."""
        if profiel.aanmelddatum is not None and profiel.aanmelddatum > ontvangen_op.date():
            raise Invalid("aanmelddatum", "ligt in de toekomst")
        status = (
            Status.ONVOLLEDIG if profiel.ontbrekend() else Status.MOGELIJK_DUBBEL if dubbelingen else Status.ONTVANGEN
        )
        return cls(
            id=id,
            kandidaat_id=kandidaat_id,
            gemeente=gemeente.code,
            arbeidsmarktregio=gemeente.arbeidsmarktregio,
            geregistreerd_door=door,
            profiel=profiel,
            status=status,
            ontvangen_op=ontvangen_op,
            mogelijke_dubbelingen=dubbelingen,
            overdracht_toegestaan=profiel.toestemming is None
            or Toestemmingsdoel.OVERDRACHT_UITZENDBUREAU in profiel.toestemming.doelen,
        )

    def plaats(self) -> dict[str, object]:
        """Whom a candidate event is about, and where: the fields every such event of this registration has."""
        return {
            "kandidaat_id": self.kandidaat_id,
            "arbeidsmarktregio": self.arbeidsmarktregio,
            "gemeente": self.gemeente,
        }

    @property
    def categorie(self) -> int | None:
        return self.beoordeling.categorie if self.beoordeling is not None else None

    @property
    def overgedragen(self) -> bool:
        return self.overgedragen_op is not None

    def zichtbaar_voor(self, namens: Namens) -> bool:
        return namens.ziet(self.gemeente)

    def dubbelingen_voor(self, namens: Namens) -> Dubbelingen:
        """The possible duplicates in gemeenten the caller acts for by id; any others only as 'elsewhere'."""
        return Dubbelingen.voor(self.mogelijke_dubbelingen, namens)

    def bsn_voor(self, namens: Namens) -> str | None:
        """The BSN, for the organisation that recorded it only."""
        return self.profiel.bsn if namens.code == self.geregistreerd_door else None

    def contact_voor(self, uitzendbureau: Namens) -> Contact:
        if self.uitzendbureau != uitzendbureau.code:  # existence does not leak to another agency
            raise NotFound(f"kandidaat {self.kandidaat_id} bestaat niet")
        p = self.profiel
        return Contact(self.kandidaat_id, p.naam or "", p.telefoon, p.email, p.postcode, self.gemeente)

    def wijzigbaar(self) -> Aanmelding:
        if self.status is Status.VERVALLEN:
            raise Conflict("deze aanmelding is als dubbel vervallen")
        if self.status is Status.BEEINDIGD:
            raise Conflict("de bemiddeling van deze kandidaat is beeindigd")
        return self

    def doorverwezen(self, categorieen: frozenset[int]) -> frozenset[int]:
        """The categories this candidate goes to an agency in: none without consent for the hand-off."""
        return categorieen if self.overdracht_toegestaan else frozenset()

    def zonder_overdracht(self, op: datetime) -> Aanmelding:
        """Consent for the hand-off withdrawn: the agency loses access at once; the gemeente keeps the candidate."""
        status = Status.BIJ_GEMEENTE if self.overgedragen else self.status
        return replace(self, overdracht_toegestaan=False, uitzendbureau=None, status=status, status_gewijzigd_op=op)

    def beeindigd(self, op: datetime) -> Aanmelding:
        """The gemeente ends the mediation: no agency holds the candidate, none gets it again."""
        if self.status in NA_BEMIDDELING:
            raise Conflict(f"aanmelding heeft status {self.status}")
        return replace(
            self, overdracht_toegestaan=False, uitzendbureau=None, status=Status.BEEINDIGD, status_gewijzigd_op=op
        )

    def met_profiel(self, profiel: Profiel) -> Aanmelding:
        """The profile changed; once handed over, it must stay complete."""
        ontbrekend = profiel.ontbrekend()
        if ontbrekend and self.overgedragen:
            raise OngeldigeVelden(
                f"een overgedragen profiel moet volledig blijven: {', '.join(ontbrekend)}",
                [{"name": v, "reason": "verplicht na overdracht"} for v in ontbrekend],
            )
        return replace(self, profiel=profiel)

    def aangevuld(self, dubbelingen: tuple[Dubbeling, ...]) -> Aanmelding:
        """Changed before its hand-over, and not handed over yet: still incomplete, or (complete) held as a
        possible duplicate of `dubbelingen`."""
        if self.profiel.ontbrekend():
            return replace(self, status=Status.ONVOLLEDIG)
        return replace(self, status=Status.MOGELIJK_DUBBEL, mogelijke_dubbelingen=dubbelingen)

    def mogelijk_dubbel(self) -> Aanmelding:
        """Only a possible duplicate awaits a consultant's decision."""
        if self.status is not Status.MOGELIJK_DUBBEL:
            raise Conflict(f"aanmelding heeft status {self.status}, niet mogelijk_dubbel")
        return self

    def vervallen(self, op: datetime) -> Aanmelding:
        """A consultant confirmed the duplicate; nothing is ever merged automatically."""
        return replace(self.mogelijk_dubbel(), status=Status.VERVALLEN, status_gewijzigd_op=op)

    def overgedragen_met(self, beoordeling: Beoordeling, op: datetime) -> Aanmelding:
        """Handed over: to matching, or kept by the gemeente when it keeps this category."""
        status = Status.ONTVANGEN if beoordeling.naar_uitzendbureau else Status.BIJ_GEMEENTE
        return replace(self, beoordeling=beoordeling, status=status, overgedragen_op=op, status_gewijzigd_op=op)

    def beoordeeld(self, beoordeling: Beoordeling) -> Aanmelding:
        """Screened again; only a candidate not yet decided on moves between the gemeente and matching."""
        status = self.status
        if status in (Status.ONTVANGEN, Status.BIJ_GEMEENTE):
            status = Status.ONTVANGEN if beoordeling.naar_uitzendbureau else Status.BIJ_GEMEENTE
        return replace(self, beoordeling=beoordeling, status=status)

    def met_categorie(
        self, categorie: int, reden: str, door: str, doorverwezen: frozenset[int], op: datetime
    ) -> Aanmelding:
        """A consultant overrides the screening category, with a reason."""
        if not self.overgedragen or self.beoordeling is None:
            raise Conflict(f"aanmelding met status {self.status} is nog niet gescreend")
        b = self.beoordeling.overschreven(categorie, reden, door, doorverwezen)
        return replace(self.beoordeeld(b), status_gewijzigd_op=op)

    def ontvangen(
        self,
        vandaag: date,
        *,
        soort: type[AanmeldingOntvangen] = AanmeldingOntvangen,
        velden: tuple[str, ...] = (),
        met_aanmelddatum: bool = False,
        persoonlijk: Versleuteld | None = None,
    ) -> AanmeldingOntvangen:
        """The profile for matching (AanmeldingOntvangen, or ProfielAangevuld naming the changed `velden`);
        `persoonlijk`: `kenmerken` encrypted for the person."""
        return aanmelding_ontvangen(
            aanmelding_id=self.id,
            kandidaat_id=self.kandidaat_id,
            gemeente_code=self.gemeente,
            profiel=self.profiel,
            soort=soort,
            aangevuld=gecodeerde_velden(velden),
            beoordeling=self.beoordeling,
            vandaag=vandaag,
            aanmelddatum=self.profiel.aanmelddatum if met_aanmelddatum else None,
            persoonlijk=persoonlijk,
        )

    def kenmerken(self, vandaag: date) -> Persoonskenmerken:
        return persoonskenmerken(self.profiel, vandaag)

    def gescreend(self, vorige_categorie: int | None) -> KandidaatGescreend:
        b = self.beoordeling
        if b is None:
            raise ValueError("not screened")
        return KandidaatGescreend(
            **self.plaats(),
            aanmelding_id=self.id,
            categorie=b.categorie,
            vorige_categorie=vorige_categorie,
            regelversie=b.regelversie,
            factoren=list(b.factoren),
            handmatig=b.handmatig,
            door=b.door,
            naar_uitzendbureau=b.naar_uitzendbureau,
        )


def aanmelding_ontvangen(
    *,
    aanmelding_id: UUID,
    kandidaat_id: UUID,
    gemeente_code: str,
    profiel: Profiel,
    soort: type[AanmeldingOntvangen] = AanmeldingOntvangen,
    aangevuld: tuple[str, ...] = (),
    beoordeling: Beoordeling | None = None,
    vandaag: date | None = None,
    aanmelddatum: date | None = None,
    persoonlijk: Versleuteld | None = None,
) -> AanmeldingOntvangen:
    """The event for a complete profile: coded fields in clear, job dates as months, and `persoonlijk`: the
    `persoonskenmerken` (PC4 area, doelgroepen, skills) encrypted for the person; never any contact data.

    `vandaag` derives 50-plus from the date of birth; `beoordeling` gives the screening category.
    """
    if profiel.postcode is None or profiel.opleidingsniveau is None or profiel.uitkering is None:
        raise ValueError("an incomplete profile is not handed over")
    g = gemeente(gemeente_code)
    extra: dict[str, object] = {"aangevulde_velden": list(aangevuld)} if soort is ProfielAangevuld else {}
    return soort(
        kandidaat_id=kandidaat_id,
        arbeidsmarktregio=g.arbeidsmarktregio,
        gemeente=g.code,
        aanmelding_id=aanmelding_id,
        opleidingsniveau=profiel.opleidingsniveau,
        werkervaring=[Werkervaringsperiode.van_data(w.beroep, w.van, w.tot, w.sector) for w in profiel.werkervaring],
        wensberoepen=list(profiel.wensberoepen),
        werkloos_sinds=profiel.werkloos_sinds,
        uitkering=profiel.uitkering,
        rijbewijs=profiel.rijbewijs,
        taalniveau=profiel.taalniveau,
        uren_per_week=profiel.uren_per_week,
        beschikbaar_vanaf=profiel.beschikbaar_vanaf,
        max_reisafstand_km=profiel.max_reisafstand_km,
        categorie=beoordeling.categorie if beoordeling is not None else None,
        naar_uitzendbureau=beoordeling.naar_uitzendbureau if beoordeling is not None else None,
        aanmelddatum=aanmelddatum,
        persoonlijk=persoonlijk,
        **extra,
    )


def persoonskenmerken(profiel: Profiel, vandaag: date | None) -> Persoonskenmerken:
    """What of a complete profile goes on the bus only encrypted for the person: PC4, doelgroepen, skills."""
    if profiel.postcode is None:
        raise ValueError("an incomplete profile is not handed over")
    return Persoonskenmerken(
        postcodegebied=normaliseer_postcode(profiel.postcode)[:4],
        doelgroepen=profiel.doelgroepen_op(vandaag),
        skills=list(profiel.skills),
    )

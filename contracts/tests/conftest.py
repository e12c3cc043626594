"""Shared sample events: one valid instance of every event type."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from werkkloket_contracts import (
    EVENT_TYPES,
    AanbodGedaan,
    AanmeldingOntvangen,
    BemiddelingBeeindigd,
    Bemiddelingseinde,
    Bevestigingsbron,
    Contractvorm,
    EersteContactGelegd,
    Gebeurtenis,
    Gemistreden,
    GesprekGepland,
    Gespreksuitkomst,
    HerinstroomGemeld,
    Hertoewijzingsaanleiding,
    KandidaatAfgewezen,
    KandidaatGescreend,
    KandidaatHertoegewezen,
    KandidaatToegewezen,
    MatchVoorgesteld,
    Mislukkingsreden,
    MobiliteitBeeindigd,
    MobiliteitGestart,
    Mobiliteitsvorm,
    MobiliteitTeruggekeerd,
    MobiliteitVoorgesteld,
    Opleidingsniveau,
    OpvolgingBevestigd,
    OpvolgingGemist,
    Overschotaard,
    OverschotGemeld,
    PersoonsgegevensVerwijderd,
    PlaatsingBeeindigd,
    PlaatsingBevestigd,
    PlaatsingGerealiseerd,
    ProfielAangevuld,
    Reden,
    SollicitatiegesprekGehouden,
    TekortGemeld,
    ToestemmingIngetrokken,
    Toestemmingsdoel,
    ToewijzingBeeindigd,
    ToewijzingMislukt,
    Toewijzingseinde,
    Uitkering,
    Uitsluiting,
    VacatureGeopend,
    VacatureGesloten,
    Vacaturesluiting,
    Versleuteld,
    Verwijderingsaanleiding,
    Werkervaringsperiode,
)

KANDIDAAT = UUID("0f6d3c1e-2b7a-4c59-9e0d-3a1b2c4d5e6f")
PLAATSING = UUID("44444444-4444-4444-8444-444444444444")
REGIO = {"kandidaat_id": KANDIDAAT, "arbeidsmarktregio": "haaglanden", "gemeente": "GM0518"}

RIJNMOND: dict[str, str] = {"arbeidsmarktregio": "rijnmond", "gemeente": "GM0599"}
VACATURE = UUID("a1a1a1a1-a1a1-4a1a-8a1a-a1a1a1a1a1a1")
OVERSCHOT = UUID("b2b2b2b2-b2b2-4b2b-8b2b-b2b2b2b2b2b2")
TEKORT = UUID("c3c3c3c3-c3c3-4c3c-8c3c-c3c3c3c3c3c3")
VOORSTEL = UUID("d4d4d4d4-d4d4-4d4d-8d4d-d4d4d4d4d4d4")
# Ciphertext as intake writes it (base64 of format byte, nonce, ciphertext and tag); opaque to the contracts.
VERSLEUTELD = Versleuteld(data="AQ" + "A" * 62 + "==")
MOBILITEIT = UUID("e5e5e5e5-e5e5-4e5e-8e5e-e5e5e5e5e5e5")


def voorbeelden() -> dict[type[Gebeurtenis], Gebeurtenis]:
    """One sample per event type, with every optional field filled in."""
    samples: list[Gebeurtenis] = [
        AanmeldingOntvangen(
            **REGIO,
            aanmelding_id=UUID("11111111-1111-4111-8111-111111111111"),
            opleidingsniveau=Opleidingsniveau.MBO3,
            werkervaring=[
                Werkervaringsperiode(beroep="5223", van="2018-03", tot="2022-06"),
                Werkervaringsperiode(beroep="4321", van="2022-09"),
            ],
            persoonlijk=VERSLEUTELD,
            wensberoepen=["5223", "4321"],
            werkloos_sinds=date(2025, 1, 15),
            uitkering=Uitkering.WW,
            aanmelddatum=date(2025, 1, 20),
        ),
        ProfielAangevuld(
            **REGIO,
            aanmelding_id=UUID("11111111-1111-4111-8111-111111111111"),
            opleidingsniveau=Opleidingsniveau.MBO3,
            werkervaring=[Werkervaringsperiode(beroep="5223", van="2018-03", tot="2022-06", sector="G")],
            wensberoepen=["5223"],
            werkloos_sinds=date(2025, 1, 15),
            uitkering=Uitkering.BIJSTAND,
            persoonlijk=VERSLEUTELD,
            rijbewijs=True,
            taalniveau="b1",
            uren_per_week=32,
            beschikbaar_vanaf=date(2025, 2, 1),
            max_reisafstand_km=15,
            categorie=2,
            naar_uitzendbureau=True,
            aangevulde_velden=["taalniveau", "uren_per_week"],
        ),
        KandidaatGescreend(
            **REGIO,
            aanmelding_id=UUID("11111111-1111-4111-8111-111111111111"),
            categorie=3,
            vorige_categorie=2,
            regelversie="handmatig",
            factoren=[Reden(factor="taalniveau", waarde="a2", score=1)],
            handmatig=True,
            door="gemeente-den-haag",
            naar_uitzendbureau=False,
        ),
        KandidaatHertoegewezen(
            **REGIO,
            toewijzing_id=UUID("55555555-5555-4555-8555-555555555555"),
            vorig_uitzendbureau="randstad-haaglanden",
            uitzendbureau="hofstad-uitzend",
            aanleiding=Hertoewijzingsaanleiding.GEEN_EERSTE_CONTACT,
            regelversie="2025.1",
            redenen=[Reden(factor="sector", waarde="logistiek", score=0.8)],
            toewijzingsversie=2,
            vorige_toewijzing_id=UUID("55555555-5555-4555-8555-555555555556"),
            persoonlijk=VERSLEUTELD,
        ),
        ToewijzingBeeindigd(
            **REGIO,
            toewijzing_id=UUID("55555555-5555-4555-8555-555555555555"),
            uitzendbureau="hofstad-uitzend",
            aanleiding=Toewijzingseinde.PLAATSING_BEEINDIGD,
            datum=date(2025, 9, 1),
            toewijzingsversie=3,
        ),
        ToestemmingIngetrokken(**REGIO, doel=Toestemmingsdoel.OVERDRACHT_UITZENDBUREAU, datum=date(2025, 5, 2)),
        BemiddelingBeeindigd(**REGIO, reden=Bemiddelingseinde.WERK_GEVONDEN, datum=date(2025, 5, 3)),
        PersoonsgegevensVerwijderd(
            **REGIO,
            verzoek_id=UUID("77777777-7777-4777-8777-777777777777"),
            aanleiding=Verwijderingsaanleiding.VERZOEK,
            datum=date(2025, 6, 1),
        ),
        MatchVoorgesteld(
            **REGIO,
            vacature_id=UUID("66666666-6666-4666-8666-666666666666"),
            uitzendbureau="hofstad-uitzend",
            beroep="5414",
            score=0.62,
            factoren=[Reden(factor="wens_ervaring", waarde="sectoroverstap naar beveiliging", score=0.16)],
            sectoroverstap=True,
            regelversie="match-v1",
        ),
        KandidaatToegewezen(
            **REGIO,
            toewijzing_id=UUID("22222222-2222-4222-8222-222222222222"),
            uitzendbureau="randstad-haaglanden",
            regelversie="2025.1",
            redenen=[Reden(factor="sector", waarde="logistiek", score=0.8)],
            toewijzingsversie=1,
        ),
        ToewijzingMislukt(**REGIO, regelversie="2025.1", reden=Mislukkingsreden.CAPACITEIT_VOL, toewijzingsversie=1),
        EersteContactGelegd(**REGIO, uitzendbureau="randstad-haaglanden", datum=date(2025, 2, 3)),
        SollicitatiegesprekGehouden(
            **REGIO,
            gesprek_id=UUID("33333333-3333-4333-8333-333333333333"),
            uitzendbureau="randstad-haaglanden",
            persoonlijk=VERSLEUTELD,
            datum=date(2025, 2, 10),
            uitkomst=Gespreksuitkomst.AANBOD,
        ),
        PlaatsingGerealiseerd(
            **REGIO,
            plaatsing_id=PLAATSING,
            uitzendbureau="randstad-haaglanden",
            persoonlijk=VERSLEUTELD,
            startdatum=date(2025, 3, 1),
            uren_per_week=32,
            contractvorm=Contractvorm.UITZEND_FASE_A,
            sbi="4941",
            beroep="8332",
        ),
        GesprekGepland(
            **REGIO,
            gesprek_id=UUID("33333333-3333-4333-8333-333333333333"),
            uitzendbureau="randstad-haaglanden",
            persoonlijk=VERSLEUTELD,
            datum=date(2025, 2, 10),
        ),
        AanbodGedaan(
            **REGIO,
            aanbod_id=UUID("55555555-5555-4555-8555-555555555555"),
            uitzendbureau="randstad-haaglanden",
            persoonlijk=VERSLEUTELD,
            datum=date(2025, 2, 14),
        ),
        KandidaatAfgewezen(
            **REGIO, uitzendbureau="randstad-haaglanden", datum=date(2025, 2, 5), persoonlijk=VERSLEUTELD
        ),
        PlaatsingBeeindigd(
            **REGIO,
            plaatsing_id=PLAATSING,
            uitzendbureau="randstad-haaglanden",
            einddatum=date(2025, 4, 15),
            persoonlijk=VERSLEUTELD,
        ),
        OpvolgingBevestigd(
            **REGIO,
            plaatsing_id=PLAATSING,
            uitzendbureau="randstad-haaglanden",
            maanden=1,
            mijlpaal=date(2025, 4, 1),
            datum=date(2025, 4, 2),
            laatste=False,
        ),
        OpvolgingGemist(
            **REGIO,
            plaatsing_id=PLAATSING,
            uitzendbureau="randstad-haaglanden",
            maanden=3,
            mijlpaal=date(2025, 6, 1),
            reden=Gemistreden.BEEINDIGD,
        ),
        PlaatsingBevestigd(**REGIO, bron=Bevestigingsbron.UITKERING_BEEINDIGD, datum=date(2025, 3, 20)),
        HerinstroomGemeld(**REGIO, uitkering=Uitkering.BIJSTAND, datum=date(2025, 5, 1)),
        VacatureGeopend(
            **RIJNMOND,
            vacature_id=VACATURE,
            door="randstad-haaglanden",
            titel="Heftruckchauffeur",
            beroep="8344",
            sector="H",
            postcodegebied="3089",
            uren_per_week=36,
            skills=["heftruck", "vca"],
            opleidingsniveau=Opleidingsniveau.MBO2,
            open_tot=date(2025, 6, 30),
        ),
        VacatureGesloten(
            **RIJNMOND,
            vacature_id=VACATURE,
            door="randstad-haaglanden",
            datum=date(2025, 4, 1),
            reden=Vacaturesluiting.VERVULD,
        ),
        OverschotGemeld(
            **RIJNMOND,
            overschot_id=OVERSCHOT,
            werkgever="havenbedrijf-maasvlakte",
            sbi="5222",
            aantal=40,
            beroepen=["8343", "4321"],
            skills=["planning", "vca", "sap"],
            vanaf=date(2025, 3, 1),
            aard=Overschotaard.STRUCTUREEL,
            uitlenen_toegestaan=True,
            uitlenen_tot=date(2026, 3, 1),
            regios=["rijnmond"],
            uitsluiting=Uitsluiting(zelfde_branche=True, werkgevers=["overslag-europoort"]),
            gemeld_door="havenbedrijf-maasvlakte",
        ),
        TekortGemeld(
            **RIJNMOND,
            tekort_id=TEKORT,
            werkgever="rijnmond-ict",
            sbi="6201",
            aantal=5,
            beroep="3512",
            skills=["sap", "planning"],
            uren_per_week=36,
            postcodegebied="3011",
            vanaf=date(2025, 4, 1),
            gemeld_door="gemeente-rotterdam",
        ),
        MobiliteitVoorgesteld(
            **RIJNMOND,
            overschot_id=OVERSCHOT,
            voorstel_id=VOORSTEL,
            tekort_id=TEKORT,
            van_werkgever="havenbedrijf-maasvlakte",
            naar_werkgever="rijnmond-ict",
            naar_regio="rijnmond",
            beroep="3512",
            van_sector="administratie",
            naar_sector="ict",
            score=0.71,
            factoren=[Reden(factor="skills", waarde="2/2 gevraagde skills", score=0.3)],
            sectoroverstap=True,
            vormen=[Mobiliteitsvorm.OVERGANG, Mobiliteitsvorm.DETACHERING],
            regelversie="werk-naar-werk-v1",
        ),
        MobiliteitGestart(
            **RIJNMOND,
            overschot_id=OVERSCHOT,
            mobiliteit_id=MOBILITEIT,
            voorstel_id=VOORSTEL,
            tekort_id=TEKORT,
            werknemer_id=UUID("99999999-9999-4999-8999-999999999999"),
            vorm=Mobiliteitsvorm.DETACHERING,
            startdatum=date(2025, 4, 1),
            terugkeerdatum=date(2025, 10, 1),
            van_werkgever="havenbedrijf-maasvlakte",
            naar_werkgever="rijnmond-ict",
            naar_regio="rijnmond",
            van_sector="administratie",
            naar_sector="ict",
        ),
        MobiliteitTeruggekeerd(**RIJNMOND, overschot_id=OVERSCHOT, mobiliteit_id=MOBILITEIT, datum=date(2025, 10, 1)),
        MobiliteitBeeindigd(
            **RIJNMOND, overschot_id=OVERSCHOT, mobiliteit_id=MOBILITEIT, datum=date(2025, 6, 1), reden="proeftijd"
        ),
    ]
    by_type = {type(sample): sample for sample in samples}
    missing = [cls.__name__ for cls in EVENT_TYPES if cls not in by_type]
    assert not missing, f"add a sample to conftest.voorbeelden() for {missing}"
    return by_type


@pytest.fixture(params=EVENT_TYPES, ids=lambda cls: cls.__name__)
def voorbeeld(request: pytest.FixtureRequest) -> Gebeurtenis:
    """Each event type in turn."""
    return voorbeelden()[request.param]


@pytest.fixture
def aanmelding() -> AanmeldingOntvangen:
    sample = voorbeelden()[AanmeldingOntvangen]
    assert isinstance(sample, AanmeldingOntvangen)
    return sample

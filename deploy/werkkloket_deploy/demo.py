"""Demo scenarios, driven only through the public HTTP APIs, with synthetic but realistic data."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TextIO

import httpx

VOORNAMEN = (
    "Sanne", "Mohamed", "Daan", "Fatima", "Lucas", "Emma", "Yusuf", "Julia", "Thijs", "Sara", "Bram", "Noa",
    "Mehmet", "Lotte", "Kevin", "Anouk", "Rachid", "Iris", "Sven", "Priya", "Joost", "Esra", "Ruben", "Naima",
)  # fmt: skip
ACHTERNAMEN = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
    "Yilmaz", "El Amrani", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "Kaya", "Dekker",
)  # fmt: skip
# ISCO-08 unit groups that people in the Den Haag Werkkloket asked for, with rough weights.
WENSBEROEPEN = (
    ("4110", 14), ("4222", 6), ("5120", 8), ("5131", 7), ("5223", 9), ("5414", 6), ("9112", 8), ("8322", 5),
    ("9333", 8), ("9321", 4), ("5321", 6), ("7126", 3), ("7411", 3), ("2512", 2), ("3341", 4), ("4321", 7),
)  # fmt: skip
WERKGEVERS = (
    "HMC Westeinde", "Gemeente Den Haag", "Haagse Hogeschool", "PostNL Den Haag", "Albert Heijn Laakkwartier",
    "Securitas Haaglanden", "CSU Schoonmaak", "Kurhaus Scheveningen", "Hoogvliet Distributiecentrum", "HTM",
)  # fmt: skip


@dataclass(frozen=True)
class Scenario:
    naam: str
    gemeente_org: str
    gemeente: str
    regio: str
    aanmeldingen: int
    eerste_contact: int
    gesprek: int
    geplaatst: int
    postcodes: tuple[int, int]


SCENARIOS = {
    # Werkkloket Den Haag, December 2020: 235 registered, 95 with an interview, 5 with a job.
    "haaglanden": Scenario("haaglanden", "gemeente-den-haag", "GM0518", "haaglanden", 235, 160, 95, 5, (2491, 2599)),
}


SKILLS = ["klantcontact", "kassa", "heftruck", "vca", "excel", "koken", "schoonmaak", "rijbewijs b"]
# SBI section of a vacancy by the first digit of its ISCO code (a rough employer sector for the demo).
VACATURESECTOR = {"2": "J", "3": "Q", "4": "N", "5": "I", "7": "F", "8": "H", "9": "N"}


# Screening profiles the desk sees, by the category they should land in (1 easy ... 4 very hard), with weights:
# the Werkkloket is for people close to work, so most are category 1 or 2.
SCREENINGSPROFIELEN: dict[int, dict[str, Any]] = {
    1: {
        "maanden": (1, 6),
        "opleiding": ["mbo2", "mbo3", "mbo4", "hbo", "wo"],
        "taal": ["b1", "b2", "c1"],
        "uren": (24, 40),
    },
    2: {"maanden": (13, 22), "opleiding": ["mbo2", "mbo3", "vo"], "taal": ["b1", "a2"], "uren": (24, 36)},
    3: {"maanden": (26, 34), "opleiding": ["vo", "mbo1"], "taal": ["a2"], "uren": (12, 20)},
    4: {"maanden": (40, 80), "opleiding": ["geen"], "taal": ["a1", "a0"], "uren": (4, 10)},
}
CATEGORIE_GEWICHTEN = (50, 36, 9, 5)


def profiel(rng: random.Random, s: Scenario) -> dict[str, Any]:
    codes, weights = zip(*WENSBEROEPEN, strict=True)
    wens = rng.choices(codes, weights=weights, k=rng.randint(1, 3))
    wens = list(dict.fromkeys(wens))
    categorie = rng.choices((1, 2, 3, 4), weights=CATEGORIE_GEWICHTEN)[0]
    p = SCREENINGSPROFIELEN[categorie]
    werkloos = date.today() - timedelta(days=30 * rng.randint(*p["maanden"]))
    start = werkloos - timedelta(days=365 * rng.randint(1, 8))
    werkervaring = (
        []
        if categorie == 4
        else [
            {"beroep": rng.choice(codes), "van": start.isoformat(), "tot": (werkloos - timedelta(days=1)).isoformat()}
        ]
    )
    return {
        "naam": f"{rng.choice(VOORNAMEN)} {rng.choice(ACHTERNAMEN)}",
        "telefoon": f"06{rng.randint(10000000, 99999999)}",
        "email": f"kandidaat{rng.randint(100000, 999999)}@voorbeeld.nl",
        "postcode": f"{rng.randint(*s.postcodes)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCEHJKLNPRSTVXZ')}",
        "gemeente": s.gemeente,
        "opleidingsniveau": rng.choice(p["opleiding"]),
        "werkervaring": werkervaring,
        "wensberoepen": wens,
        "skills": rng.sample(
            ["klantcontact", "kassa", "heftruck", "vca", "excel", "koken", "schoonmaak", "rijbewijs b"], 2
        ),
        "taalniveau": rng.choice(p["taal"]),
        "uren_per_week": rng.randint(*p["uren"]),
        "werkloos_sinds": werkloos.isoformat(),
        "uitkering": rng.choice(["ww", "bijstand", "bijstand", "geen"]),
        "toestemming": {
            "gegeven_op": "2020-11-02T09:30:00+01:00",
            "door": "consulent Werkkloket Den Haag",
            "doel": "bemiddeling naar werk via een deelnemend uitzendbureau",
        },
    }


async def _gather_limited(n: int, coros: list[Any]) -> list[Any]:
    sem = asyncio.Semaphore(n)

    async def one(c: Any) -> Any:
        async with sem:
            return await c

    return list(await asyncio.gather(*(one(c) for c in coros)))


async def _run(s: Scenario, urls: dict[str, str], keys: dict[str, str], seed: int, out: TextIO) -> bool:
    rng = random.Random(seed)
    auth = {org: {"Authorization": f"Bearer {key}"} for org, key in keys.items()}
    t0 = time.monotonic()
    async with httpx.AsyncClient(timeout=30) as client:

        async def funnel() -> dict[str, Any]:
            r = await client.get(
                f"{urls['rapportage']}/api/v1/rapportage/funnel",
                params={"regio": s.regio},
                headers=auth["programmamanager"],
            )
            r.raise_for_status()
            result: dict[str, Any] = r.json()
            return result

        before = await funnel()

        # The werkgeversservicepunt of the gemeente registers open vacancies first.
        vacatures = [
            {
                "titel": f"{werkgever}: vacature {code}",
                "beroep": code,
                "sector": VACATURESECTOR.get(code[:1], "N"),
                "arbeidsmarktregio": s.regio,
                "postcode": f"{rng.randint(*s.postcodes)} AA",
                "uren_per_week": rng.choice([20, 24, 32, 36, 38]),
                "skills": rng.sample(SKILLS, 2),
                "opleidingsniveau": rng.choice(["vo", "mbo2", "mbo3"]),
                "open_tot": (date.today() + timedelta(days=90)).isoformat(),
            }
            for werkgever in WERKGEVERS
            for code in rng.sample([c for c, _ in WENSBEROEPEN], 4)
        ]
        for body in vacatures:
            r = await client.post(f"{urls['matching']}/api/v1/vacatures", json=body, headers=auth[s.gemeente_org])
            r.raise_for_status()
        out.write(f"{len(vacatures)} open vacatures geregistreerd door het werkgeversservicepunt\n")

        async def registreer(body: dict[str, Any]) -> dict[str, Any]:
            r = await client.post(f"{urls['intake']}/api/v1/aanmeldingen", json=body, headers=auth[s.gemeente_org])
            r.raise_for_status()
            result: dict[str, Any] = r.json()
            return result

        aanmeldingen = await _gather_limited(8, [registreer(profiel(rng, s)) for _ in range(s.aanmeldingen)])
        out.write(
            f"{len(aanmeldingen)} aanmeldingen geregistreerd bij {s.gemeente_org} ({time.monotonic() - t0:.1f}s)\n"
        )

        per_categorie = Counter(a["categorie"] for a in aanmeldingen)
        bij_gemeente = [a for a in aanmeldingen if a["status"] == "bij_gemeente"]
        out.write(
            "screening: "
            + ", ".join(f"categorie {c}: {per_categorie[c]}" for c in (1, 2, 3, 4))
            + f"; {len(bij_gemeente)} blijven bij de gemeente (categorie 3 en 4)\n"
        )
        voorbeeld = next((a for a in aanmeldingen if a["categorie"] == 4), aanmeldingen[0])
        uitleg = ", ".join(f"{f['factor']} {f['waarde']} ({f['score']:g})" for f in voorbeeld["screening"]["factoren"])
        out.write(f"  waarom categorie {voorbeeld['categorie']}: {uitleg}\n")
        drie = next((a for a in bij_gemeente if a["categorie"] == 3), None)
        if drie is not None:
            r = await client.post(
                f"{urls['intake']}/api/v1/aanmeldingen/{drie['id']}/categorie",
                json={"categorie": 2, "reden": "intakegesprek: gemotiveerd, taalcursus B1 bijna afgerond"},
                headers=auth[s.gemeente_org],
            )
            r.raise_for_status()
            out.write(
                "  consulent zet 1 kandidaat van categorie 3 naar 2, met reden; die gaat alsnog naar een bureau\n"
            )

        async def status(a: dict[str, Any]) -> dict[str, Any]:
            r = await client.get(f"{urls['intake']}/api/v1/aanmeldingen/{a['id']}", headers=auth[s.gemeente_org])
            r.raise_for_status()
            result: dict[str, Any] = r.json()
            return result

        deadline = time.monotonic() + 120
        while True:
            statuses = await _gather_limited(16, [status(a) for a in aanmeldingen])
            if all(st["status"] != "ontvangen" for st in statuses):
                break
            if time.monotonic() > deadline:
                out.write("not every aanmelding was decided on within 120s\n")
                return False
            await asyncio.sleep(0.5)
        per_bureau = Counter(st["uitzendbureau"] for st in statuses if st["uitzendbureau"])
        out.write(
            f"toegewezen aan {len(per_bureau)} uitzendbureaus ({time.monotonic() - t0:.1f}s): "
            + ", ".join(f"{b} {n}" for b, n in sorted(per_bureau.items()))
            + "\n"
        )
        matches_getoond = 0
        for st in [st for st in statuses if st["uitzendbureau"]][:3]:
            r = await client.get(
                f"{urls['matching']}/api/v1/toewijzingen/{st['kandidaat_id']}", headers=auth[s.gemeente_org]
            )
            r.raise_for_status()
            t = r.json()
            redenen = "; ".join(f"{x['factor']} {x['waarde']} ({x['score']:+g})" for x in t["redenen"])
            out.write(f"  {st['kandidaat_id'][:8]} -> {t['uitzendbureau']} ({t['regelversie']}): {redenen}\n")
        # Each agency sees its own candidates' proposed vacancies, explained per factor.
        for bureau in sorted(per_bureau):
            r = await client.get(f"{urls['matching']}/api/v1/mijn-kandidaten", headers=auth[bureau])
            r.raise_for_status()
            met_matches = [k for k in r.json() if k["matches"]]
            # One candidate per agency, a labelled sector move when the agency has one.
            k = next((k for k in met_matches if any(m["sectoroverstap"] for m in k["matches"])), None)
            k = k or (met_matches[0] if met_matches else None)
            if k is not None and matches_getoond < 5:
                m = next((m for m in k["matches"] if m["sectoroverstap"]), k["matches"][0])
                label = " [sectoroverstap]" if m["sectoroverstap"] else ""
                uitleg = "; ".join(f"{f['factor']} {f['waarde']} ({f['score']:g})" for f in m["factoren"])
                out.write(
                    f"  match {bureau} {k['kandidaat_id'][:8]}: {m['titel']} score {m['score']:.2f}{label}: {uitleg}\n"
                )
                matches_getoond += 1

        # Each agency sees its own candidates in the plaatsing API, then works through them.
        async def wait_known(bureau: str, n: int) -> list[dict[str, Any]]:
            until = time.monotonic() + 60
            while True:
                r = await client.get(f"{urls['plaatsing']}/api/v1/kandidaten", headers=auth[bureau])
                r.raise_for_status()
                mine = {st["kandidaat_id"] for st in statuses if st["uitzendbureau"] == bureau}
                known = [k for k in r.json() if k["kandidaat_id"] in mine]
                if len(known) >= n or time.monotonic() > until:
                    return known
                await asyncio.sleep(0.3)

        for bureau, n in per_bureau.items():
            await wait_known(bureau, n)
        toegewezen = [st for st in statuses if st["uitzendbureau"]]
        rng.shuffle(toegewezen)
        contact = toegewezen[: s.eerste_contact]
        gesprek = contact[: s.gesprek]
        geplaatst = gesprek[: s.geplaatst]

        async def post(st: dict[str, Any], path: str, body: dict[str, Any]) -> None:
            r = await client.post(
                f"{urls['plaatsing']}/api/v1/kandidaten/{st['kandidaat_id']}/{path}",
                json=body,
                headers=auth[st["uitzendbureau"]],
            )
            r.raise_for_status()

        await _gather_limited(8, [post(st, "eerste-contact", {"datum": "2020-11-09"}) for st in contact])
        await _gather_limited(
            8,
            [post(st, "gesprekken", {"werkgever": rng.choice(WERKGEVERS), "datum": "2020-11-23"}) for st in gesprek],
        )
        await _gather_limited(
            8,
            [
                post(
                    st,
                    "plaatsingen",
                    {"werkgever": rng.choice(WERKGEVERS), "startdatum": "2020-12-01", "uren_per_week": 32},
                )
                for st in geplaatst
            ],
        )
        driven = {
            "aangemeld": s.aanmeldingen,
            "toegewezen": len(toegewezen),
            "eerste_contact": len(contact),
            "gesprek": len(gesprek),
            "geplaatst": len(geplaatst),
        }
        deadline = time.monotonic() + 60
        while True:
            after = await funnel()
            delta = {k: after["totaal"][k] - before["totaal"][k] for k in driven}
            if delta == driven or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
    out.write(f"\nFunnel arbeidsmarktregio {s.regio} (rapportage API, {time.monotonic() - t0:.1f}s)\n")
    out.write(f"{'':<26}{'aangemeld':>10}{'toegewezen':>11}{'contact':>9}{'gesprek':>9}{'geplaatst':>10}\n")
    for row in after["per_uitzendbureau"]:
        out.write(
            f"{row['uitzendbureau']:<26}{row['aangemeld']:>10}{row['toegewezen']:>11}"
            f"{row['eerste_contact']:>9}{row['gesprek']:>9}{row['geplaatst']:>10}\n"
        )
    t = after["totaal"]
    out.write(
        f"{'totaal':<26}{t['aangemeld']:>10}{t['toegewezen']:>11}{t['eerste_contact']:>9}{t['gesprek']:>9}"
        f"{t['geplaatst']:>10}\n"
    )
    ok = delta == driven
    out.write(
        f"\ndit scenario: {driven}\nrapportage:   {delta}\n"
        + ("de funnel is gelijk aan wat het scenario deed\n" if ok else "VERSCHIL tussen funnel en scenario\n")
    )
    return ok


def run(scenario: str, urls: dict[str, str], keys: dict[str, str], *, seed: int, out: TextIO) -> bool:
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; known: {', '.join(SCENARIOS)}")
    return asyncio.run(_run(SCENARIOS[scenario], urls, keys, seed, out))

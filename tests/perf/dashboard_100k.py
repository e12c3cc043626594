"""Dashboard load time and report API latency with 100,000 candidates in rapportage's read model.

    .venv/bin/python -m tests.perf.dashboard_100k      (after `werkkloket up`: its bus and Keycloak are used)

Starts its own PostgreSQL and a rapportage service on it, fills the read model with 100,000 synthetic candidates
(and their placements) in one SQL statement each, then times the funnel API and the dashboard in headless
Chromium. Prints the figures; stops what it started.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import time

import asyncpg
import httpx
from sqlalchemy.engine import make_url
from werkkloket_deploy.bus.platform import Bus
from werkkloket_deploy.cli import IDENTITIES_DIR, _state
from werkkloket_deploy.identities import Identities, allow_dashboard_origin
from werkkloket_deploy.provision import RUN_DIR, KeycloakServer, free_port, remove_postgres, start_postgres
from werkkloket_deploy.stack import start_service, wait_healthy

from tests.e2e.browser import chromium, click, keycloak_login, wait_until

N = 100_000
GEMEENTEN = [
    ("GM0518", "haaglanden"), ("GM0503", "haaglanden"), ("GM0637", "haaglanden"), ("GM0603", "haaglanden"),
    ("GM0356", "midden-utrecht"), ("GM0344", "midden-utrecht"), ("GM0599", "rijnmond"), ("GM0363", "groot-amsterdam"),
]  # fmt: skip
BUREAUS = [
    "hofstad-uitzend", "residentie-flex", "duinrand-personeel", "scheveningen-werkt", "laakhaven-logistiek",
    "zorgpool-haaglanden", "beveiliging-plus", "westland-agri", "delfts-techniek", "zoetermeer-kantoor",
    "centraal-werkt", "lekstroom-timing", "utrecht-flex", "maasvlakte-personeel",
]  # fmt: skip

FILL = """
INSERT INTO rapportage.funnel_kandidaten (kandidaat_id, arbeidsmarktregio, gemeente, uitzendbureau, aangemeld_op,
    aangemeld_dag, volledig, doelgroep, categorie, toegewezen_op, eerste_contact_op, gesprek_op, aantal_gesprekken,
    geplaatst_op, bevestigd_op, herinstroom_op)
SELECT gen_random_uuid(), ($2::text[])[1 + i % 8], ($1::text[])[1 + i % 8], ($3::text[])[1 + (i / 8) % 14],
    d::timestamptz, d, i % 8 <> 0, (ARRAY['ww','bijstand','bijstand','geen'])[1 + i % 4], 1 + (i / 3) % 4,
    d::timestamptz + interval '5 seconds',
    CASE WHEN i % 10 < 7 THEN d + i % 9 END,
    CASE WHEN i % 10 < 4 THEN d + 10 + i % 20 END, CASE WHEN i % 10 < 4 THEN 1 + i % 3 ELSE 0 END,
    CASE WHEN i % 10 < 2 THEN d + 30 + i % 40 END,
    CASE WHEN i % 10 < 2 AND i % 7 <> 0 THEN d + 45 + i % 30 END,
    CASE WHEN i % 10 < 2 AND i % 13 = 0 THEN d + 150 + i % 60 END
FROM (SELECT i, date '2023-01-02' + (i % 1000) AS d FROM generate_series(1, $4::int) AS i) s
"""
PLACEMENTS = """
INSERT INTO rapportage.plaatsingen (plaatsing_id, kandidaat_id, uitzendbureau, werkgever, startdatum, uren_per_week,
    contractvorm, sbi, beroep, einddatum, einde_reden)
SELECT gen_random_uuid(), kandidaat_id, uitzendbureau, 'Werkgever BV', geplaatst_op, 32, 'uitzend_fase_a', '8610',
    '5321', CASE WHEN abs(hashtext(kandidaat_id::text)) % 3 = 0
        THEN geplaatst_op + abs(hashtext(kandidaat_id::text)) % 200 END,
    'einde_contract'
FROM rapportage.funnel_kandidaten WHERE geplaatst_op IS NOT NULL
"""


async def fill(database_url: str) -> None:
    url = make_url(database_url)
    conn = await asyncpg.connect(
        user=url.username, password=url.password, host=url.host, port=url.port, database=url.database
    )
    try:
        await conn.execute(FILL, [g for g, _ in GEMEENTEN], [r for _, r in GEMEENTEN], BUREAUS, N)
        await conn.execute(PLACEMENTS)
        await conn.execute("ANALYZE rapportage.funnel_kandidaten; ANALYZE rapportage.plaatsingen")
        total = await conn.fetchval("SELECT count(*) FROM rapportage.funnel_kandidaten")
        placed = await conn.fetchval("SELECT count(*) FROM rapportage.plaatsingen")
        print(f"read model: {total} candidates, {placed} placements")
    finally:
        await conn.close()


def api_latency(url: str, headers: dict[str, str]) -> None:
    with httpx.Client(timeout=30) as client:
        for pad in ("funnel", "funnel?groepeer=maand", "doorlooptijden", "plaatsingen-per-maand", "doelen"):
            client.get(f"{url}/api/v1/rapportage/{pad}", headers=headers)  # warm up
            tijden = []
            for _ in range(15):
                t0 = time.perf_counter()
                r = client.get(f"{url}/api/v1/rapportage/{pad}", headers=headers)
                tijden.append(1000 * (time.perf_counter() - t0))
                assert r.status_code == 200, r.text
            tijden.sort()
            p50, p90 = statistics.median(tijden), tijden[int(0.9 * len(tijden))]
            print(f"GET {pad:<24} p50 {p50:6.0f} ms   p90 {p90:6.0f} ms")
        t = client.get(f"{url}/api/v1/rapportage/funnel", headers=headers).json()["totaal"]
        print(f"funnel: {t['aangemeld']} aangemeld, {t['geplaatst']} geplaatst, {t['duurzaam']} duurzaam")


def dashboard_load(url: str, person: tuple[str, str]) -> None:
    with chromium() as browser:
        browser.get(f"{url}/dashboard")
        wait_until(browser, "return document.body.dataset.sessie === 'uit'")
        click(browser, "#inloggen")
        t0 = time.perf_counter()
        keycloak_login(browser, *person)
        wait_until(browser, "return document.body.dataset.geladen === 'ja'", timeout=60)
        eerste = 1000 * (time.perf_counter() - t0)
        laadtijden = []
        for _ in range(10):
            t0 = time.perf_counter()
            browser.execute_script(
                "document.body.dataset.geladen = 'nee'; document.getElementById('toepassen').click()"
            )
            wait_until(browser, "return document.body.dataset.geladen === 'ja'", timeout=60)
            laadtijden.append(
                (
                    1000 * (time.perf_counter() - t0),
                    int(browser.execute_script("return document.body.dataset.laadtijd")),
                )
            )
    buiten = sorted(t for t, _ in laadtijden)
    binnen = sorted(t for _, t in laadtijden)
    print(f"dashboard first load after Keycloak's login form: {eerste:.0f} ms")
    print(f"dashboard reload (filters applied), {len(laadtijden)}x:")
    print(f"  measured by the page:   p50 {statistics.median(binnen):.0f} ms, max {binnen[-1]} ms")
    print(f"  measured by the driver: p50 {statistics.median(buiten):.0f} ms, max {buiten[-1]:.0f} ms")


def main() -> None:
    state = _state()
    bus = Bus.at(state["kafka_bootstrap_servers"], state["kafka_secrets"])
    identities = Identities(state["keycloak"]["url"], IDENTITIES_DIR)
    base = RUN_DIR / "perf-dashboard"
    shutil.rmtree(base, ignore_errors=True)
    remove_postgres(base / "pg")
    pg = start_postgres(base / "pg")
    svc = None
    try:
        key = identities.token("programmamanager")
        svc = start_service(
            "rapportage",
            port=free_port(),
            kafka=bus.connection("rapportage"),
            database_url=pg.url_for("rapportage"),
            oidc_issuer=f"{state['keycloak']['url']}/realms/werkkloket",
            log_dir=base / "logs",
        )
        wait_healthy([svc], timeout=180)
        keycloak = KeycloakServer.from_state(state["keycloak"])
        allow_dashboard_origin(keycloak.url, keycloak.admin_credentials(), svc.url)
        asyncio.run(fill(pg.url_for("rapportage")))  # rapportage's own tables, as its own role
        api_latency(svc.url, {"Authorization": f"Bearer {key}"})
        dashboard_load(svc.url, identities.person("programmamanager"))
    finally:
        if svc is not None:
            svc.stop()
        pg.remove()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()

"""`werkkloket`: start, stop and inspect a local stack, and drive the demo through the public APIs."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

import httpx
import typer
from keycloak.exceptions import KeycloakError

from . import asyncapi, compose, schemas, strimzi
from . import audit as audit_log
from . import inzage as inzage_doc
from . import verwijdering as verwijdering_doc
from .bus.acls import BEHEER, MOBILITEITSTEAM_TOPICS
from .bus.platform import SECRETS_ENV, Bus
from .bus.secrets import write_client_properties, write_private
from .identities import Identities, LoginError, provision_identities
from .provision import (
    RUN_DIR,
    SERVICE_SCHEMAS,
    KafkaServer,
    KeycloakServer,
    PostgresServer,
    ProvisionError,
    pid_alive,
    remove_keycloak,
    remove_postgres,
    setup_roles_sync,
    start_kafka,
    start_keycloak,
    start_postgres,
    stop_keycloak,
    stop_pid,
    unlocked_reason,
)
from .provision.keycloak import REALM
from .sleutels import LOKAAL as LOKALE_SLEUTELS
from .sleutels import sleutelbestand
from .stack import SERVICES, ServiceProcess, start_service, wait_healthy

app = typer.Typer(help="Werkkloket: public-private job mediation on Apache Kafka.", no_args_is_help=True)
STATE = RUN_DIR / "stack.json"
# WERKKLOKET_PORT_OFFSET shifts every port, to run a second stack on the same machine.
_OFFSET = int(os.environ.get("WERKKLOKET_PORT_OFFSET", "0"))
DEFAULT_PORTS = {
    "kafka": 19092 + _OFFSET,
    "kafka-controller": 19093 + _OFFSET,
    "postgres": 15432 + _OFFSET,
    "keycloak": 18080 + _OFFSET,
    "keycloak-management": 18090 + _OFFSET,
}
KEYCLOAK_DIR = RUN_DIR / "keycloak"
IDENTITIES_DIR = KEYCLOAK_DIR / "identities"
DEMO_PERSON = "gemeente-den-haag"
SERVICE_PORTS = dict(zip(SERVICES, (8101 + _OFFSET, 8102 + _OFFSET, 8103 + _OFFSET, 8104 + _OFFSET), strict=True))
# Who the dashboard is for: the programme manager's person (all figures, small cells suppressed) and a gemeente's.
DASHBOARD_PERSON = "programmamanager"


def _dashboard_origin() -> str:
    """Where the rapportage service serves the dashboard (the browser's origin at Keycloak's token endpoint)."""
    return f"http://127.0.0.1:{SERVICE_PORTS['rapportage']}"


def _state() -> dict[str, Any]:
    if not STATE.exists():
        return {}
    data: dict[str, Any] = json.loads(STATE.read_text())
    return data


def _unlocked_database(state: dict[str, Any]) -> str | None:
    """Why the stack's PostgreSQL (if provisioned here) may not be used as it is, e.g. made without passwords."""
    if "postgres" not in state:
        return None
    return unlocked_reason(PostgresServer.from_state(state["postgres"]).home)


def _save(state: dict[str, Any]) -> None:
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    STATE.write_text(json.dumps(state, indent=2) + "\n")


def _launch_keycloak(previous: dict[str, Any]) -> KeycloakServer:
    """Keycloak in .run/keycloak, started without waiting (it gets ready while the rest starts); the one of the
    previous `up` if it still runs. The services accept only its tokens: without it nothing starts."""
    old = previous.get("keycloak")
    if old is not None and pid_alive(old["pid"]):
        return KeycloakServer.from_state(old)
    try:
        return start_keycloak(
            KEYCLOAK_DIR,
            port=DEFAULT_PORTS["keycloak"],
            management_port=DEFAULT_PORTS["keycloak-management"],
            wait=False,
        )
    except ProvisionError as exc:
        typer.echo(f"keycloak   not started: {exc}")
        raise typer.Exit(1) from exc


def _keycloak_ready(keycloak: KeycloakServer) -> None:
    """Wait for Keycloak, then create (or update) a person and a machine client per organisation."""
    try:
        waited = keycloak.wait_ready()
        t0 = time.monotonic()
        identities = provision_identities(
            keycloak.url, keycloak.admin_credentials(), IDENTITIES_DIR, dashboard_origins=[_dashboard_origin()]
        )
    except (ProvisionError, KeycloakError) as exc:
        typer.echo(f"keycloak   FAILED: {exc}")
        raise typer.Exit(1) from exc
    username, _ = identities.person(DEMO_PERSON)
    manager, _ = identities.person(DASHBOARD_PERSON)
    typer.echo(
        f"keycloak   {keycloak.url}  (realm werkkloket, ready after {waited:.1f}s, pid {keycloak.pid};"
        f" {len(identities.organisations())} people and machine clients in {time.monotonic() - t0:.1f}s)\n"
        f"           log in as a demo person at {keycloak.url}/realms/werkkloket/account\n"
        f"           as {username}; every organisation's person and password: {IDENTITIES_DIR / 'people.json'}\n"
        f"           a machine token: `werkkloket token {DEMO_PERSON}`; admin console {keycloak.url}/admin/"
        f" with {keycloak.admin_file}\n"
        f"dashboard  {_dashboard_origin()}/dashboard  (log in as {username} for the gemeente's own figures,"
        f" exact; as {manager} for all, small cells suppressed)"
    )


def _local_infra(state: dict[str, Any]) -> tuple[Bus, dict[str, str]]:
    """Kafka (the closed bus, provisioned) and PostgreSQL of this clone, recorded in `state` as they start."""
    t0 = time.monotonic()
    kafka: KafkaServer = start_kafka(
        RUN_DIR / "kafka", port=DEFAULT_PORTS["kafka"], controller_port=DEFAULT_PORTS["kafka-controller"]
    )
    bus = kafka.bus
    bus.provision()
    typer.echo(
        f"kafka      {kafka.bootstrap_servers}  (SASL_SSL, ready in {time.monotonic() - t0:.1f}s, pid {kafka.pid})"
    )
    state["kafka"] = {"pid": kafka.pid, "bootstrap_servers": kafka.bootstrap_servers}
    _save(state)
    t0 = time.monotonic()
    pg: PostgresServer = start_postgres(RUN_DIR / "postgres", port=DEFAULT_PORTS["postgres"])
    typer.echo(f"postgresql 127.0.0.1:{pg.port}  (ready in {time.monotonic() - t0:.1f}s, pid {pg.pid}, data {pg.home})")
    state["postgres"] = pg.state()  # no passwords: those stay in the server's home
    _save(state)
    # Each service connects as its own role.
    return bus, pg.service_urls()


@app.command()
def up() -> None:
    """Provision Kafka and PostgreSQL (unless KAFKA_BOOTSTRAP_SERVERS and DATABASE_URL are set) and Keycloak, and
    start the four services in the background."""
    state = _state()
    if any(pid_alive(s["pid"]) for s in state.get("services", {}).values()):
        old = _unlocked_database(state)
        if old is None:
            typer.echo("already running; `werkkloket status` shows it, `werkkloket down` stops it")
            raise typer.Exit(1)
        typer.echo(f"the running stack's PostgreSQL cannot stay as it is ({old}): stopping the stack first")
        down(purge=False)
        state = {}
    keycloak = _launch_keycloak(state)
    env_kafka, env_db = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("DATABASE_URL")
    state = {"started": time.time(), "keycloak": keycloak.state()}
    _save(state)
    if env_kafka and env_db:
        bus, database_urls = _env_bus(env_kafka), dict.fromkeys(SERVICES, env_db)
        typer.echo(f"using KAFKA_BOOTSTRAP_SERVERS, {SECRETS_ENV} and DATABASE_URL from the environment")
    else:
        bus, database_urls = _local_infra(state)
    # Intake's keys live as long as the database: made on the first `up`, kept after (`make clean` removes both).
    sleutels = sleutelbestand(LOKALE_SLEUTELS)
    services: list[ServiceProcess] = []
    for name in SERVICES:
        svc = start_service(
            name,
            port=SERVICE_PORTS[name],
            kafka=bus.connection(name),
            database_url=database_urls[name],
            # Services fetch the realm's keys on the first request: Keycloak may still be starting.
            oidc_issuer=keycloak.issuer(),
            log_dir=RUN_DIR / "logs",
            # The local stack shows each service's OpenAPI page (assets served by the service itself).
            extra_env={"WERKKLOKET_DOCS": "true"},
            sleutels=sleutels,
        )
        services.append(svc)
        state.setdefault("services", {})[name] = {"pid": svc.pid, "url": svc.url, "log": str(svc.log_file)}
    state["kafka_bootstrap_servers"] = bus.bootstrap_servers
    state["kafka_secrets"] = str(bus.secrets.directory)
    _save(state)
    wait_healthy(services, timeout=180)
    for svc in services:
        typer.echo(f"{svc.name:<10} {svc.url}/docs   (pid {svc.pid}, log {svc.log_file})")
    typer.echo(f"{'sleutels':<10} {sleutels}  (intake's keys, mode 600: without them no BSN can be read)")
    _keycloak_ready(keycloak)


@app.command()
def down(
    purge: Annotated[bool, typer.Option(help="also delete the data of Kafka and PostgreSQL (`make clean`)")] = False,
) -> None:
    """Stop the services (SIGTERM: in-flight events finish and commit), then Kafka, PostgreSQL and Keycloak."""
    state = _state()
    for name, svc in state.get("services", {}).items():
        stop_pid(svc["pid"], timeout=40)
        typer.echo(f"stopped {name}")
    if "postgres" in state:
        PostgresServer.from_state(state["postgres"]).stop()
        typer.echo("stopped postgresql")
    if "kafka" in state:
        stop_pid(state["kafka"]["pid"], timeout=40)
        typer.echo("stopped kafka")
    if "keycloak" in state:
        stop_keycloak(state["keycloak"]["pid"], timeout=40)
        typer.echo("stopped keycloak")
    if STATE.exists():
        STATE.unlink()
    if purge:
        remove_postgres(RUN_DIR / "postgres")
        shutil.rmtree(RUN_DIR / "kafka", ignore_errors=True)
        remove_keycloak(KEYCLOAK_DIR)
        typer.echo("deleted the data of kafka, postgresql and keycloak (its realm, people and keys)")


@app.command()
def status() -> None:
    """Show what runs, and whether each service is healthy."""
    state = _state()
    if not state:
        typer.echo("nothing started here (`werkkloket up`)")
        raise typer.Exit(1)
    healthy = True
    for name in ("kafka", "postgres"):
        if name in state:
            alive = pid_alive(state[name]["pid"])
            healthy &= alive
            typer.echo(f"{name:<10} pid {state[name]['pid']:<8} {'running' if alive else 'STOPPED'}")
    old = _unlocked_database(state)
    if old is not None:
        healthy = False
        typer.echo(f"postgres   {old}: `werkkloket up` initialises it again")
    if "keycloak" in state:
        keycloak = KeycloakServer.from_state(state["keycloak"])
        ready = keycloak.alive() and keycloak.ready()
        healthy &= ready
        typer.echo(f"{'keycloak':<10} pid {keycloak.pid:<8} {'ready' if ready else 'NOT READY'}  {keycloak.url}")
    with httpx.Client(timeout=2) as client:
        for name, svc in state.get("services", {}).items():
            try:
                ok = client.get(f"{svc['url']}/health").status_code == 200
            except httpx.HTTPError:
                ok = False
            healthy &= ok
            typer.echo(f"{name:<10} pid {svc['pid']:<8} {'healthy' if ok else 'NOT HEALTHY'}  {svc['url']}")
    if not healthy:
        raise typer.Exit(1)


@app.command()
def demo(
    scenario: Annotated[
        str,
        typer.Option(help="haaglanden, lekstroom, toewijzing, rijnmond (werk naar werk) or verwijdering (erasure)"),
    ] = "haaglanden",
    seed: Annotated[int, typer.Option(help="seed of the synthetic data")] = 2020,
) -> None:
    """Drive a scenario through the public HTTP APIs of a running stack and print what it shows: the funnel
    (haaglanden, lekstroom), screening, assignments and explained matches (toewijzing), or werk naar werk with
    its report (rijnmond)."""
    from . import toewijzingsdemo
    from .demo import run

    state = _state()
    if not state.get("services"):
        typer.echo("start the stack first: `werkkloket up`")
        raise typer.Exit(1)
    urls = {name: svc["url"] for name, svc in state["services"].items()}
    tokens = _identities(state).token
    if scenario == "toewijzing":
        ok = toewijzingsdemo.run(urls, tokens, seed=seed, out=sys.stdout).ok
    elif scenario == "verwijdering":
        ok = verwijdering_doc.demo(urls, tokens, sys.stdout)
    else:
        ok = run(scenario, urls, tokens, seed=seed, out=sys.stdout)
    if not ok:
        raise typer.Exit(1)


@app.command()
def token(
    organisatie: Annotated[str, typer.Argument(help="the organisation, e.g. gemeente-den-haag")],
    persoon: Annotated[
        bool, typer.Option(help="its person's token, after a login with code and PKCE, instead of its machine's")
    ] = False,
    url: Annotated[
        str | None, typer.Option(help="another Keycloak than `werkkloket up`'s (with --identities), e.g. compose's")
    ] = None,
    identities_dir: Annotated[
        Path | None, typer.Option("--identities", help="the directory `werkkloket identities provision` wrote")
    ] = None,
) -> None:
    """Print an access token from the stack's Keycloak: the organisation's machine client (client credentials,
    private_key_jwt) or its person (--persoon). For `curl -H "Authorization: Bearer $(werkkloket token ...)"`."""
    if (url is None) != (identities_dir is None):
        typer.echo("--url and --identities go together", err=True)
        raise typer.Exit(2)
    if url is not None and identities_dir is not None:
        identities = _other_keycloak(url.rstrip("/"), identities_dir)
    else:
        identities = _identities(_state())
    if organisatie not in identities.organisations():
        typer.echo(f"unknown organisation {organisatie!r}; one of {', '.join(identities.organisations())}", err=True)
        raise typer.Exit(2)
    try:
        typer.echo(identities.person_token(organisatie) if persoon else identities.token(organisatie))
    except (LoginError, httpx.HTTPError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc


@app.command()
def audit(
    organisatie: Annotated[str, typer.Argument(help="the gemeente, e.g. gemeente-den-haag")],
    kandidaat: Annotated[UUID | None, typer.Option(help="one person (the kandidaat id)")] = None,
    trace: Annotated[str | None, typer.Option(help="one trace id (32 hex)")] = None,
    van: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="from this day")] = None,
    tot: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="up to and including this day")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 1000,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV instead of a table")] = False,
) -> None:
    """The processing log of every service for the gemeente's inhabitants, read as the gemeente's machine client:
    who processed whose data, when, under which registered activity, and in which trace."""
    state = _state()
    identities = _identities(state)
    urls = {name: svc["url"] for name, svc in state.get("services", {}).items()}
    try:
        records = audit_log.lees(
            urls,
            identities.token(organisatie),
            kandidaat_id=kandidaat,
            trace_id=trace,
            van=van.date() if van else None,
            tot=tot.date() if tot else None,
            limit=limit,
        )
    except httpx.HTTPError as exc:
        typer.echo(f"the processing log could not be read: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(audit_log.als_csv(records) if as_csv else audit_log.als_tabel(records), nl=not as_csv)


def _other_keycloak(url: str, directory: Path) -> Identities:
    """The identities `werkkloket identities provision` made in the Keycloak at `url`; the issuer's address from
    its discovery document (at `url` it may be reached by another name, e.g. inside a compose network)."""
    try:
        response = httpx.get(f"{url}/realms/{REALM}/.well-known/openid-configuration", timeout=10)
        response.raise_for_status()
        issuer = str(response.json()["issuer"])
    except (httpx.HTTPError, KeyError, ValueError) as exc:
        typer.echo(f"no realm {REALM} at {url}: {exc}", err=True)
        raise typer.Exit(1) from exc
    return Identities(url, directory, public_url=issuer.removesuffix(f"/realms/{REALM}"))


def _identities(state: dict[str, Any]) -> Identities:
    """The people and machine clients `werkkloket up` made in its Keycloak."""
    if "keycloak" not in state or not (IDENTITIES_DIR / "clients.json").exists():
        typer.echo("no Keycloak with identities: `werkkloket up`", err=True)
        raise typer.Exit(1)
    return Identities(state["keycloak"]["url"], IDENTITIES_DIR)


def _env_bus(bootstrap: str) -> Bus:
    secrets = os.environ.get(SECRETS_ENV)
    if not secrets:
        typer.echo(f"KAFKA_BOOTSTRAP_SERVERS is set: {SECRETS_ENV} must name the bus's secrets directory")
        raise typer.Exit(1)
    return Bus.at(bootstrap, secrets)


def _bus() -> Bus:
    """The bus of the environment (KAFKA_BOOTSTRAP_SERVERS with WERKKLOKET_BUS_SECRETS) or of `werkkloket up`."""
    state = _state()
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        return _env_bus(os.environ["KAFKA_BOOTSTRAP_SERVERS"])
    if state.get("kafka_bootstrap_servers") and state.get("kafka_secrets"):
        return Bus.at(state["kafka_bootstrap_servers"], state["kafka_secrets"])
    typer.echo(f"no bus: `werkkloket up`, or set KAFKA_BOOTSTRAP_SERVERS and {SECRETS_ENV}")
    raise typer.Exit(1)


def _database_url(service: str) -> str:
    """The service's database URL: DATABASE_URL of the environment, or its own role on `werkkloket up`'s server."""
    from_env = os.environ.get("DATABASE_URL")
    if from_env:
        return from_env
    state = _state()
    if "postgres" not in state:
        typer.echo("no database: `werkkloket up`, or set DATABASE_URL")
        raise typer.Exit(1)
    return PostgresServer.from_state(state["postgres"]).url_for(service)


@app.command()
def replay(
    service: Annotated[str, typer.Argument(help="the service whose read model is rebuilt, e.g. rapportage")],
    since: Annotated[
        datetime | None, typer.Option(help="replay the events from this moment on (default: the beginning)")
    ] = None,
    restart: Annotated[bool, typer.Option(help="start afresh instead of resuming an interrupted replay")] = False,
    switch: Annotated[bool, typer.Option(help="switch over when caught up (--no-switch: only build)")] = True,
    batch_size: Annotated[int, typer.Option(help="events per transaction")] = 5000,
) -> None:
    """Rebuild a service's read model from the Kafka log into fresh tables while the live one keeps answering,
    then switch over atomically. Resumes an interrupted replay. Outgoing events are suppressed."""
    from .replaying import run_replay

    if service not in SERVICES:
        typer.echo(f"unknown service {service!r}; one of {', '.join(SERVICES)}")
        raise typer.Exit(2)
    bus, database_url = _bus(), _database_url(service)  # replays as the service's own principal and role
    try:
        result = run_replay(
            service,
            bus.connection(service),
            database_url,
            since=since,
            restart=restart,
            switch=switch,
            batch_size=batch_size,
            sleutels=sleutelbestand(LOKALE_SLEUTELS),  # the service's own, next to intake's
        )
    except ValueError as exc:
        typer.echo(str(exc))
        raise typer.Exit(1) from exc
    rate = result.applied / result.seconds if result.seconds > 0 else 0.0
    typer.echo(f"{result.applied} events replayed in {result.seconds:.1f}s ({rate:,.0f}/s)")
    if result.switched:
        typer.echo(f"switched: {result.schema} is the rebuilt read model; the previous one is {result.previous_schema}")
    else:
        typer.echo(f"built {result.schema}; not switched")


app.add_typer(schemas.app, name="schemas")
app.add_typer(asyncapi.app, name="asyncapi")
app.add_typer(strimzi.app, name="strimzi")
app.add_typer(compose.app, name="compose")

dlq_app = typer.Typer(help="The dead-letter topic: inspect, and re-drive after a fix.", no_args_is_help=True)
app.add_typer(dlq_app, name="dlq")


@dlq_app.command("list")
def dlq_list(
    group: Annotated[str | None, typer.Option(help="only this consumer group's dead letters")] = None,
    limit: Annotated[int, typer.Option(help="show the last N")] = 50,
) -> None:
    """List dead letters: offset, consumer group, reason, original topic/partition/offset."""
    import asyncio

    from . import dlq

    letters = [d for d in asyncio.run(dlq.read(_bus().connection(BEHEER))) if group is None or d.group == group]
    for d in letters[-limit:]:
        topic, partition, offset = d.origin
        typer.echo(f"{d.offset:>8}  {d.group:<22} {d.reason_code:<16} {topic}[{partition}]@{offset}  {d.reason[:120]}")
    typer.echo(f"{len(letters)} dead letter(s)")


@dlq_app.command("replay")
def dlq_replay(
    group: Annotated[str | None, typer.Option(help="only this consumer group's dead letters")] = None,
    reason_code: Annotated[str | None, typer.Option(help="only dead letters with this reason code")] = None,
    from_beginning: Annotated[bool, typer.Option(help="also those re-driven before")] = False,
) -> None:
    """Re-drive dead letters to their original topic (each once; its consumers skip what they already did)."""
    import asyncio

    from . import dlq

    sent = asyncio.run(
        dlq.redrive(_bus().connection(BEHEER), group=group, reason_code=reason_code, from_beginning=from_beginning)
    )
    typer.echo(f"{len(sent)} dead letter(s) re-driven to their original topic")


bus_app = typer.Typer(help="The closed bus: topics, principals and ACLs.", no_args_is_help=True)
app.add_typer(bus_app, name="bus")


@bus_app.command("provision")
def bus_provision() -> None:
    """Create the topics and the platform's principals with exactly their ACLs (idempotent; `up` does it too)."""
    created = _bus().provision()
    typer.echo(f"topics created: {', '.join(created) or 'none (all there)'}; principals and ACLs applied")


identities_app = typer.Typer(help="People and machine clients in Keycloak.", no_args_is_help=True)
app.add_typer(identities_app, name="identities")
ADMIN_USERNAME_ENV = "KEYCLOAK_ADMIN_USERNAME"
ADMIN_PASSWORD_ENV = "KEYCLOAK_ADMIN_PASSWORD"


@identities_app.command("provision")
def identities_provision(
    url: Annotated[
        str, typer.Option(envvar="KEYCLOAK_URL", help="Keycloak as this command reaches it, e.g. http://keycloak:8080")
    ],
    directory: Annotated[
        Path, typer.Option(envvar="WERKKLOKET_IDENTITIES_DIR", help="where passwords and private keys are kept")
    ],
    dashboard_origin: Annotated[
        list[str] | None,
        typer.Option(
            envvar="WERKKLOKET_DASHBOARD_ORIGINS",
            help="an origin the dashboard is served from, e.g. http://127.0.0.1:8004 (the dashboard client's"
            " webOrigins: exactly these); repeatable, space-separated in the variable",
        ),
    ] = None,
    people: Annotated[
        list[str] | None,
        typer.Option(
            "--person",
            envvar="WERKKLOKET_IDENTITIES_PEOPLE",
            help="only these organisations get a person (default: every one; the others log in with accounts made"
            " in the admin console); repeatable, space-separated in the variable. Every one gets a machine client",
        ),
    ] = None,
) -> None:
    """Create or update a person and a machine client per organisation in the realm werkkloket of a Keycloak this
    command did not start (docker-compose, a managed server), as the admin of KEYCLOAK_ADMIN_USERNAME and
    KEYCLOAK_ADMIN_PASSWORD. Passwords (DIR/people.json) and private keys (DIR/clients/) are kept in DIR: a rerun
    reuses them. `werkkloket up` does this by itself."""
    username, password = os.environ.get(ADMIN_USERNAME_ENV), os.environ.get(ADMIN_PASSWORD_ENV)
    if not username or not password:
        missing = [name for name in (ADMIN_USERNAME_ENV, ADMIN_PASSWORD_ENV) if not os.environ.get(name)]
        typer.echo(f"set {', '.join(missing)}")
        raise typer.Exit(2)
    try:
        identities = provision_identities(
            url.rstrip("/"),
            (username, password),
            directory,
            short_lived=False,
            dashboard_origins=dashboard_origin or None,
            people=people or None,
        )
    except KeycloakError as exc:
        typer.echo(f"provisioning in {url} failed: {exc}")
        raise typer.Exit(1) from exc
    typer.echo(
        f"{len(identities.organisations())} people and machine clients in {url.rstrip('/')}/realms/werkkloket\n"
        f"passwords {directory / 'people.json'}, private keys {directory / 'clients'}/ (mode 600)"
    )


db_app = typer.Typer(help="The locked database: one role per service.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("provision")
def db_provision() -> None:
    """Create or update one LOGIN role per service, owning only that service's schemas, on a server this command
    did not start (docker-compose, a managed server): the superuser's URL from DATABASE_ADMIN_URL, each role's
    password from <SERVICE>_DB_PASSWORD (e.g. INTAKE_DB_PASSWORD). `werkkloket up` does this by itself."""
    admin_url = os.environ.get("DATABASE_ADMIN_URL")
    names = {service: f"{service.upper()}_DB_PASSWORD" for service in SERVICE_SCHEMAS}
    missing = [n for n in ("DATABASE_ADMIN_URL", *names.values()) if not os.environ.get(n)]
    if admin_url is None or missing:
        typer.echo(f"set {', '.join(missing)}")
        raise typer.Exit(2)
    setup_roles_sync(admin_url, {service: os.environ[name] for service, name in names.items()})
    typer.echo(f"roles {', '.join(SERVICE_SCHEMAS)}: each owns its schemas, nothing else")


team_app = typer.Typer(help="Mobility teams: read-only access to the pseudonymous topics.", no_args_is_help=True)
app.add_typer(team_app, name="mobiliteitsteam")


@team_app.command("toevoegen")
def mobiliteitsteam_toevoegen(
    team: Annotated[str, typer.Argument(help="the team's name, e.g. its arbeidsmarktregio: rijnmond")],
    uit: Annotated[Path, typer.Option(help="where the team's connection settings are written")] = RUN_DIR / "teams",
) -> None:
    """Create (once) a read-only principal for a mobility team and write its connection settings: an env file and
    a Java client properties file (both mode 600, with the password) and the bus's CA certificate, to hand over."""
    bus = _bus()
    conn = bus.add_mobiliteitsteam(team)
    uit.mkdir(parents=True, exist_ok=True)
    ca = uit / "ca.pem"
    shutil.copyfile(bus.secrets.ca_file, ca)
    env_file = uit / f"{conn.username}.env"
    settings = {
        "KAFKA_BOOTSTRAP_SERVERS": conn.bootstrap_servers,
        "KAFKA_USERNAME": conn.username,
        "KAFKA_PASSWORD": conn.password,
        "KAFKA_CA_FILE": str(ca.resolve()),
    }
    write_private(env_file, "".join(f"{k}={v}\n" for k, v in settings.items()))
    # The same for Java and librdkafka-style clients (Kafka's own tools, Kafka Connect, ...).
    properties = write_client_properties(uit / f"{conn.username}.properties", conn, ca.resolve())
    topics = ", ".join(t.name for t in MOBILITEITSTEAM_TOPICS)
    typer.echo(
        f"principal          {conn.username} (read only: {topics})\n"
        f"consumer groups    {conn.username}*\n"
        f"bootstrap servers  {conn.bootstrap_servers}\n"
        f"security           SASL_SSL, SCRAM-SHA-512, CA certificate {ca.resolve()}\n"
        f"settings           {env_file.resolve()} (environment), {properties.resolve()} (Java client)\n"
        "                   both hold the password: hand them over securely"
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()


__all__ = ["Path", "app", "main"]


@app.command()
def inzage(
    organisatie: Annotated[str, typer.Argument(help="the person's gemeente, e.g. gemeente-den-haag")],
    kandidaat: Annotated[UUID, typer.Argument(help="the person (the kandidaat id)")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write to this file (mode 600)")] = None,
) -> None:
    """Everything every service holds about one person, as one JSON document (AVG art. 15, right of access),
    read as the gemeente's machine client; each read is in the services' processing logs."""
    state = _state()
    urls = {name: svc["url"] for name, svc in state.get("services", {}).items()}
    try:
        document = inzage_doc.lees(urls, _identities(state).token(organisatie), kandidaat)
    except inzage_doc.Onbekend as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    except httpx.HTTPError as exc:
        typer.echo(f"the data could not be read: {exc}", err=True)
        raise typer.Exit(1) from exc
    _toon(document, output)


def _toon(document: dict[str, Any], output: Path | None) -> None:
    """A person's document as JSON: printed, or written to `output` readable by its owner only."""
    tekst = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(tekst, nl=False)
    else:
        write_private(output, tekst)
        typer.echo(f"wrote {output}")


@app.command()
def verwijder(
    organisatie: Annotated[str, typer.Argument(help="the person's gemeente, e.g. gemeente-den-haag")],
    aanmelding: Annotated[UUID, typer.Argument(help="the registration (its id)")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write to this file (mode 600)")] = None,
) -> None:
    """Erase everything the platform holds about one person (AVG art. 17) and print every service's receipt as one
    JSON document; read and written as the gemeente's machine client, and in the services' processing logs."""
    state = _state()
    urls = {name: svc["url"] for name, svc in state.get("services", {}).items()}
    try:
        document = verwijdering_doc.verwijder(urls, _identities(state).token(organisatie), aanmelding)
    except verwijdering_doc.Onbekend as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    except httpx.HTTPError as exc:
        typer.echo(f"the erasure failed: {exc}", err=True)
        raise typer.Exit(1) from exc
    _toon(document, output)
    if not document["compleet"]:
        typer.echo("not every service has given its receipt yet: ask again later", err=True)
        raise typer.Exit(1)

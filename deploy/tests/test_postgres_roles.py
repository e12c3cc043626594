"""The locked database, on a real server from the project's provisioning: no connection without a password, a role
per service that owns its schemas and nothing else, append-only logboek tables, and a server home of the
password-less era initialised again."""

from __future__ import annotations

import importlib
import os
import pwd
import shutil
import stat
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from werkkloket_deploy.provision import (
    SERVICE_SCHEMAS,
    PostgresServer,
    new_password,
    postgres_home,
    remove_postgres,
    start_postgres,
)
from werkkloket_deploy.provision import postgres as provisioning
from werkkloket_deploy.provision.processes import run_checked
from werkkloket_runtime.db import ensure_schema, migrate_async

pytestmark = pytest.mark.integration

Denied = asyncpg.InsufficientPrivilegeError


@pytest.fixture(scope="module")
def pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    server = start_postgres(tmp_path_factory.mktemp("locked") / "postgres")
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def no_stored_password(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neither PGPASSWORD nor a ~/.pgpass can fill in a password."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


@pytest.fixture
async def admin(pg: PostgresServer) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(pg.admin_dsn)
    try:
        yield conn
    finally:
        await conn.close()


async def as_role(pg: PostgresServer, service: str) -> asyncpg.Connection:
    return await asyncpg.connect(_dsn(pg.url_for(service)))


def _hba_methods(data_dir: Path) -> set[str]:
    """The authentication methods pg_hba.conf names (the last field of each rule)."""
    rules = (line.split("#", 1)[0].split() for line in (data_dir / "pg_hba.conf").read_text().splitlines())
    return {fields[-1] for fields in rules if fields}


def _server_account(pg: PostgresServer) -> str | None:
    """The account that runs the server, when we are root (else ourselves: None)."""
    return pwd.getpwuid(pg.data_dir.stat().st_uid).pw_name if os.geteuid() == 0 else None


def test_each_service_role_is_named_for_its_runtime_schema() -> None:
    for service, schema in SERVICE_SCHEMAS.items():
        tables = importlib.import_module(f"werkkloket_{service}.adapters.tables")
        assert tables.SCHEMA == schema, service


async def test_no_connection_without_a_password(pg: PostgresServer, no_stored_password: None) -> None:
    assert _hba_methods(pg.data_dir) == {"scram-sha-256"}
    for host in ("127.0.0.1", str(pg.home / "sock")):  # TCP and the Unix socket
        for user in ("postgres", "intake"):
            for password in (None, new_password()):  # none, or a wrong one
                with pytest.raises(asyncpg.InvalidPasswordError):
                    await asyncpg.connect(host=host, port=pg.port, user=user, password=password, database="werkkloket")
    # Not even the account that runs the server gets in over the socket without the password.
    psql = shutil.which("psql")
    account = _server_account(pg)
    if psql is not None and account is not None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        cmd = ["runuser", "-u", account, "--", psql, "-X", "-w", "-h", str(pg.home / "sock"), "-p", str(pg.port)]
        done = subprocess.run(
            [*cmd, "-U", "postgres", "-d", "werkkloket", "-c", "select 1"], env=env, capture_output=True, text=True
        )
        assert done.returncode != 0 and "no password supplied" in done.stderr, done.stderr


async def test_the_secrets_stay_with_the_server_and_only_the_provisioner_reads_them(pg: PostgresServer) -> None:
    secrets_file = pg.home / provisioning.SECRETS_FILE
    st = secrets_file.stat()
    assert stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == os.geteuid()
    assert stat.S_IMODE(pg.home.stat().st_mode) == 0o700
    assert sorted(p.name for p in pg.home.iterdir()) == ["data", "secrets.json", "server.log", "sock"]  # no pwfile
    secrets = pg.secrets()
    assert set(secrets) == {"postgres", *SERVICE_SCHEMAS}
    assert len(set(secrets.values())) == len(secrets) and all(len(p) >= 32 for p in secrets.values())
    account = _server_account(pg)
    if account is not None:
        readable = subprocess.run(["runuser", "-u", account, "--", "test", "-r", str(secrets_file)], check=False)
        assert readable.returncode != 0, f"{account} can read {secrets_file}"


async def test_each_service_role_owns_its_schemas_and_nothing_else(
    pg: PostgresServer, admin: asyncpg.Connection
) -> None:
    # Migrations as the service's own role: its schema exists, and it may not create schemas itself.
    intake = importlib.import_module("werkkloket_intake.bootstrap")
    await migrate_async(pg.url_for("intake"), Path(intake.__file__).parent / "migrations", "intake")

    roles = list(SERVICE_SCHEMAS)
    rows = await admin.fetch(
        "SELECT r.rolname, n.nspname FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner"
        " WHERE r.rolname = ANY($1)",
        roles,
    )
    for service, schema in SERVICE_SCHEMAS.items():
        owned = {r["nspname"] for r in rows if r["rolname"] == service}
        assert schema in owned and owned <= {schema, f"{schema}_next", f"{schema}_vorige"}, (service, owned)
    elsewhere = await admin.fetch(
        "SELECT r.rolname, n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = ANY($1)"
        " AND n.nspname <> ALL (ARRAY[r.rolname, r.rolname || '_next', r.rolname || '_vorige', 'pg_toast'])",
        roles,
    )
    assert elsewhere == []
    assert await admin.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'intake'") > 0
    assert await admin.fetchval("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'intake'") == "intake"
    for service in roles:
        attributes = await admin.fetchrow(
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1",
            service,
        )
        assert tuple(attributes) == (False, False, False, False, True)
        for privilege in ("CREATE", "TEMP"):
            assert not await admin.fetchval("SELECT has_database_privilege($1, 'werkkloket', $2)", service, privilege)
        assert not await admin.fetchval("SELECT has_schema_privilege($1, 'public', 'USAGE')", service)


async def test_a_service_role_cannot_reach_another_service_nor_public(
    pg: PostgresServer, admin: asyncpg.Connection
) -> None:
    await admin.execute("CREATE TABLE public.gedeeld (x int); INSERT INTO public.gedeeld VALUES (1)")
    await admin.execute("SET ROLE intake; CREATE TABLE intake.dossier (x int); RESET ROLE")
    conn = await as_role(pg, "matching")
    try:
        for sql in (
            "SELECT * FROM intake.dossier",
            "INSERT INTO intake.dossier VALUES (2)",
            "CREATE TABLE intake.ingebroken (x int)",
            "DROP SCHEMA intake_vorige",
            "SELECT * FROM public.gedeeld",
            "CREATE TABLE public.eigen (x int)",
            "CREATE SCHEMA eigen",
            "CREATE TEMP TABLE tijdelijk (x int)",
            "SET ROLE intake",
            # The admin's functions only touch the caller's own schemas, and only as replay schemas.
            "SELECT werkkloket_beheer.create_schema('intake_next')",
            "SELECT werkkloket_beheer.create_schema('eigen')",
            "SELECT werkkloket_beheer.create_schema('matching_next_next')",
            "SELECT werkkloket_beheer.create_schema('matching_logboek_next')",
            "SELECT werkkloket_beheer.swap_schemas('intake')",
            "SELECT werkkloket_beheer.swap_schemas('matching_next')",
        ):
            with pytest.raises(Denied):
                await conn.execute(sql)
        # Its own schema is its own.
        await conn.execute("CREATE TABLE matching.eigen (x int); DROP TABLE matching.eigen")
    finally:
        await conn.close()
    with pytest.raises(Denied):  # nor any other database
        await asyncpg.connect(_dsn(pg.url_for("matching")).rsplit("/", 1)[0] + "/postgres")


async def test_replay_schemas_are_made_and_swapped_as_the_service_role(
    pg: PostgresServer, admin: asyncpg.Connection
) -> None:
    engine = create_async_engine(pg.url_for("plaatsing"))
    try:
        async with engine.begin() as conn:
            await conn.run_sync(ensure_schema, "plaatsing")  # exists: no CREATE on the database needed
            await conn.exec_driver_sql("DROP SCHEMA IF EXISTS plaatsing_next CASCADE")
            await conn.run_sync(ensure_schema, "plaatsing_next")  # through werkkloket_beheer.create_schema
            await conn.exec_driver_sql("CREATE TABLE plaatsing_next.herbouwd (x int)")
            await conn.exec_driver_sql("DROP SCHEMA IF EXISTS plaatsing_vorige CASCADE")
            await conn.exec_driver_sql("SELECT werkkloket_beheer.swap_schemas('plaatsing')")
    finally:
        await engine.dispose()
    assert await admin.fetchval("SELECT to_regclass('plaatsing.herbouwd') IS NOT NULL")
    owners = await admin.fetch(
        "SELECT nspname, nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname LIKE 'plaatsing%'"
    )
    assert {r["nspname"]: r["owner"] for r in owners} == {
        "plaatsing": "plaatsing",
        "plaatsing_vorige": "plaatsing",
        "plaatsing_logboek": "plaatsing_logboek",
    }


ROW = (
    "INSERT INTO intake_logboek.verwerkingen (trace_id, span_id, name, status_code, start_time, end_time,"
    " processing_activity_id, data_subject_id, data_subject_id_type, organisatie, rol, dienst)"
    " VALUES (repeat('a', 32), repeat('b', 16), $1, 1, now(), now(), 'urn:werkkloket:verwerking:bsn-inzien:1',"
    " gen_random_uuid()::text, 'kandidaat_id', 'gemeente-delft', 'gemeente', 'intake')"
)


async def test_the_logboek_is_append_only_for_the_service(pg: PostgresServer, admin: asyncpg.Connection) -> None:
    # Provisioning made the processing log's table as the logboek's owner; a later one is made the same way.
    assert await admin.fetchval("SELECT tableowner FROM pg_tables WHERE schemaname = 'intake_logboek'") == (
        "intake_logboek"
    )
    await admin.execute(
        "SET ROLE intake_logboek; CREATE TABLE intake_logboek.later (id bigserial, actie text NOT NULL); RESET ROLE"
    )
    assert not await admin.fetchval("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'intake_logboek'")
    conn = await as_role(pg, "intake")
    try:
        await conn.execute(ROW, "BSN gelezen")
        await conn.execute("INSERT INTO intake_logboek.later (actie) VALUES ('aanmelding gelezen')")
        assert await conn.fetchval("SELECT count(*) FROM intake_logboek.verwerkingen") == 1
        for table, column in (("verwerkingen", "name"), ("later", "actie")):
            for sql in (
                f"UPDATE intake_logboek.{table} SET {column} = 'niets gebeurd'",
                f"DELETE FROM intake_logboek.{table}",
                f"TRUNCATE intake_logboek.{table}",
                f"DROP TABLE intake_logboek.{table}",
                f"ALTER TABLE intake_logboek.{table} DISABLE TRIGGER ALL",
            ):
                with pytest.raises(Denied):
                    await conn.execute(sql)
            await conn.execute(f"GRANT DELETE ON intake_logboek.{table} TO intake")  # a warning, nothing granted
            for privilege in ("UPDATE", "DELETE", "TRUNCATE"):
                assert not await conn.fetchval(
                    "SELECT has_table_privilege($1, $2)", f"intake_logboek.{table}", privilege
                ), privilege
        for sql in ("CREATE TABLE intake_logboek.eigen (x int)", "SET ROLE intake_logboek"):
            with pytest.raises(Denied):
                await conn.execute(sql)
    finally:
        await conn.close()
    other = await as_role(pg, "matching")
    try:
        with pytest.raises(Denied):
            await other.execute(ROW, "vervalst")
    finally:
        await other.close()
    assert await admin.fetchval("SELECT name FROM intake_logboek.verwerkingen") == "BSN gelezen"
    assert await admin.fetchval("SELECT actie FROM intake_logboek.later") == "aanmelding gelezen"


async def test_a_home_initialised_without_passwords_is_initialised_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = tmp_path / "clone" / ".run" / "postgres"
    home = postgres_home(base)
    try:
        # A home as the earlier provisioning left it: initdb with trust, and the server still running.
        user = provisioning._pg_user()
        provisioning._prepare_home(home, user)
        initdb = [str(provisioning._pg_bin() / "initdb"), "-D", str(home / "data"), "-U", "postgres", "-A", "trust"]
        run_checked(provisioning._as_user(user, [*initdb, "-E", "UTF8", "--no-locale"]), "initdb", home, 60)
        _, old_pid, _ = provisioning._launch(home, user, None, 60)

        pg = start_postgres(base)
        try:
            said = capsys.readouterr().err
            assert "without passwords" in said and "trust" in said and str(home) in said
            assert pg.pid != old_pid and _hba_methods(pg.data_dir) == {"scram-sha-256"}
            conn = await asyncpg.connect(_dsn(pg.url_for("rapportage")))
            await conn.close()
            secrets = pg.secrets()
        finally:
            pg.stop()
        again = start_postgres(base)  # now it is kept, with its passwords
        try:
            assert capsys.readouterr().err == "" and again.secrets() == secrets
        finally:
            again.stop()
    finally:
        remove_postgres(base)


async def test_db_provision_makes_the_roles_on_a_server_it_did_not_start(tmp_path: Path) -> None:
    """What docker-compose's db-init does: roles with the passwords it is given, over the superuser's URL."""
    from typer.testing import CliRunner
    from werkkloket_deploy.cli import app

    server = start_postgres(tmp_path / "postgres")
    try:
        passwords = {service: new_password() for service in SERVICE_SCHEMAS}
        env = {"DATABASE_ADMIN_URL": server.admin_url} | {f"{s.upper()}_DB_PASSWORD": p for s, p in passwords.items()}
        incomplete = CliRunner().invoke(app, ["db", "provision"], env={**env, "RAPPORTAGE_DB_PASSWORD": ""})
        assert incomplete.exit_code == 2 and "RAPPORTAGE_DB_PASSWORD" in incomplete.output
        done = CliRunner().invoke(app, ["db", "provision"], env=env)
        assert done.exit_code == 0, done.output
        url = server.admin_dsn.rsplit("@", 1)[1]
        conn = await asyncpg.connect(f"postgresql://matching:{passwords['matching']}@{url}")
        try:
            assert await conn.fetchval("select current_user") == "matching"
            with pytest.raises(Denied):
                await conn.execute("create table intake.indringer (x int)")
        finally:
            await conn.close()
    finally:
        server.remove()

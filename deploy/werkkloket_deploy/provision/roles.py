"""Database roles, schemas and grants of Werkkloket, set up over a superuser connection (asyncpg).

Per service (`SERVICE_SCHEMAS`):
- a LOGIN role (the service's name) with its own password, owning `<schema>`, `<schema>_next` and `<schema>_vorige`
  and nothing else; no CREATE or TEMP on the database, no access to `public` or to another service's schemas;
- a NOLOGIN role `<service>_logboek` owning `<schema>_logboek`, for append-only tables: the service role may
  only SELECT and INSERT there (also on tables the owner creates later), never UPDATE, DELETE or TRUNCATE. The
  processing log's table (`werkkloket_runtime.logboek`) is created there by that owner.

A replay re-creates `<schema>_next` and renames schemas, which needs CREATE on the database. The NOLOGIN role
`werkkloket_beheer` has it and is a member of each service role; its SECURITY DEFINER functions in schema
`werkkloket_beheer` do only that, and only for schemas the calling (session) role owns. Every service role is a
member of `werkkloket_dienst`, which may connect to the database and call those functions.

The same SQL serves the project's own servers (provision.postgres) and any other server the tests get a
superuser URL of (testcontainers). Passwords go to the server as SCRAM verifiers, never in plain text.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Coroutine, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg
from werkkloket_runtime.db import ADMIN_SCHEMA
from werkkloket_runtime.logboek import ddl as logboek_ddl

# Each service's database role and the schema it owns (its runtime's `ServiceRuntime(schema=...)`).
SERVICE_SCHEMAS: dict[str, str] = {s: s for s in ("intake", "matching", "plaatsing", "rapportage")}
ADMIN_ROLE = ADMIN_SCHEMA  # owns the functions that create and rename the services' schemas
SERVICE_GROUP = "werkkloket_dienst"  # every service role: CONNECT, and EXECUTE on those functions
LOGBOEK = "_logboek"  # suffix of the append-only owner role and its schema
SCRAM_ITERATIONS = 4096

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,55}$")  # room for the `_vorige` suffix within 63 bytes
T = TypeVar("T")


def new_password() -> str:
    """A random password, safe in a URL without quoting."""
    return secrets.token_urlsafe(24)


def scram_verifier(password: str, salt: bytes | None = None, iterations: int = SCRAM_ITERATIONS) -> str:
    """What PostgreSQL stores for a SCRAM-SHA-256 password (RFC 5802/7677); it accepts it as `PASSWORD '...'`."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    stored_key = hashlib.sha256(hmac.new(salted, b"Client Key", "sha256").digest()).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode()

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def _name(value: str) -> str:
    if not _NAME.match(value):
        raise ValueError(f"not a plain lower-case SQL name: {value!r}")
    return value


def _functions() -> str:
    """The SECURITY DEFINER functions; each checks the caller (session_user) owns the schemas it touches."""
    a = ADMIN_SCHEMA
    refuse = (
        "RAISE EXCEPTION 'schema % is not a replay schema of a schema owned by %', {arg}, session_user"
        " USING ERRCODE = 'insufficient_privilege'"
    )
    return f"""
CREATE OR REPLACE FUNCTION {a}.create_schema(name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
  base text := regexp_replace(name, '_(next|vorige)$', '');
  me oid := (SELECT oid FROM pg_roles WHERE rolname = session_user);
BEGIN
  -- Only <base>_next or <base>_vorige, next to a live schema <base> the caller owns.
  IF base = name OR base ~ '_(next|vorige)$' OR octet_length(name) > 63
     OR NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = base AND nspowner = me) THEN
    {refuse.format(arg="name")};
  END IF;
  EXECUTE format('CREATE SCHEMA %I AUTHORIZATION %I', name, session_user);
END $f$;

CREATE OR REPLACE FUNCTION {a}.swap_schemas(live text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
  me oid := (SELECT oid FROM pg_roles WHERE rolname = session_user);
BEGIN
  -- <live> becomes <live>_vorige (which must not exist), <live>_next becomes <live>; the caller owns both.
  IF live ~ '_(next|vorige)$' OR octet_length(live) > 56
     OR NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = live AND nspowner = me)
     OR NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = live || '_next' AND nspowner = me) THEN
    {refuse.format(arg="live")};
  END IF;
  EXECUTE format('ALTER SCHEMA %I RENAME TO %I', live, live || '_vorige');
  EXECUTE format('ALTER SCHEMA %I RENAME TO %I', live || '_next', live);
END $f$;
"""


def _role(name: str, login: bool) -> str:
    how = "LOGIN" if login else "NOLOGIN"
    return (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN CREATE ROLE {name} {how};"
        f" END IF; END $$;\nALTER ROLE {name} {how} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;\n"
    )


def _service(role: str, schema: str, verifier: str) -> str:
    """One service role: its password, its three schemas, and its append-only logboek."""
    if "'" in verifier:
        raise ValueError("unexpected quote in a SCRAM verifier")
    owner, logboek = f"{role}{LOGBOEK}", f"{schema}{LOGBOEK}"
    sql = _role(role, login=True) + f"ALTER ROLE {role} PASSWORD '{verifier}';\n"
    sql += f"GRANT {SERVICE_GROUP} TO {role};\nGRANT {role} TO {ADMIN_ROLE};\n"
    for each in (schema, f"{schema}_next", f"{schema}_vorige"):
        sql += f"CREATE SCHEMA IF NOT EXISTS {each} AUTHORIZATION {role};\nALTER SCHEMA {each} OWNER TO {role};\n"
    sql += _role(owner, login=False)
    sql += f"CREATE SCHEMA IF NOT EXISTS {logboek} AUTHORIZATION {owner};\nALTER SCHEMA {logboek} OWNER TO {owner};\n"
    sql += f"REVOKE ALL ON SCHEMA {logboek} FROM PUBLIC;\nGRANT USAGE ON SCHEMA {logboek} TO {role};\n"
    defaults = f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {logboek}"
    sql += f"{defaults} GRANT SELECT, INSERT ON TABLES TO {role};\n"
    sql += f"{defaults} GRANT USAGE ON SEQUENCES TO {role};\n"  # nextval for serial columns
    sql += f"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA {logboek} TO {role};\n"
    sql += f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {logboek} FROM {role};\n"
    sql += f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {logboek} TO {role};\n"
    # The processing log's table is made by its owner, so the grants above (defaults) apply to it.
    sql += f"SET ROLE {owner};\n{logboek_ddl(schema)}\nRESET ROLE;\n"
    return sql


def setup_sql(passwords: Mapping[str, str], schemas: Mapping[str, str] | None = None) -> str:
    """The whole set-up as one idempotent script, for the superuser's connection to the application database.

    `passwords`: role → password, for every role in `schemas` (role → schema; default the four services).
    """
    schemas = SERVICE_SCHEMAS if schemas is None else schemas
    a = _name(ADMIN_SCHEMA)
    sql = "SELECT pg_advisory_xact_lock(hashtext('werkkloket:roles'));\n"  # concurrent set-ups wait
    sql += _role(_name(ADMIN_ROLE), login=False) + _role(_name(SERVICE_GROUP), login=False)
    sql += f"""
REVOKE ALL ON SCHEMA public FROM PUBLIC;
DO $$ BEGIN
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO {SERVICE_GROUP}', current_database());
  EXECUTE format('GRANT CONNECT, CREATE ON DATABASE %I TO {ADMIN_ROLE}', current_database());
  IF current_database() <> 'postgres' AND EXISTS (SELECT FROM pg_database WHERE datname = 'postgres') THEN
    REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;
  END IF;
END $$;
CREATE SCHEMA IF NOT EXISTS {a} AUTHORIZATION {ADMIN_ROLE};
REVOKE ALL ON SCHEMA {a} FROM PUBLIC;
GRANT USAGE ON SCHEMA {a} TO {SERVICE_GROUP};
{_functions()}
ALTER FUNCTION {a}.create_schema(text) OWNER TO {ADMIN_ROLE};
ALTER FUNCTION {a}.swap_schemas(text) OWNER TO {ADMIN_ROLE};
REVOKE ALL ON FUNCTION {a}.create_schema(text), {a}.swap_schemas(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {a}.create_schema(text), {a}.swap_schemas(text) TO {SERVICE_GROUP};
"""
    for role, schema in schemas.items():
        sql += _service(_name(role), _name(schema), scram_verifier(passwords[role]))
    return sql


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def setup_roles(admin_url: str, passwords: Mapping[str, str], schemas: Mapping[str, str] | None = None) -> None:
    """Run `setup_sql` in one transaction over one superuser connection to the application database."""
    conn = await asyncpg.connect(_dsn(admin_url))
    try:
        await conn.execute(setup_sql(passwords, schemas))  # several statements in one implicit transaction
    finally:
        await conn.close()


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end from synchronous code, also when this thread already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def setup_roles_sync(admin_url: str, passwords: Mapping[str, str], schemas: Mapping[str, str] | None = None) -> None:
    run_sync(setup_roles(admin_url, passwords, schemas))


def role_url(admin_url: str, role: str, password: str) -> str:
    """The admin's URL with another role and password (quoted), same host, port and database."""
    parts = urlsplit(admin_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{quote(role, safe='')}:{quote(password, safe='')}@{host}"))


def service_urls(admin_url: str, passwords: Mapping[str, str]) -> dict[str, str]:
    """Each service's URL, as its own role."""
    return {service: role_url(admin_url, service, passwords[service]) for service in SERVICE_SCHEMAS}

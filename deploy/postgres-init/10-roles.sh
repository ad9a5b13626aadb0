#!/bin/sh
# The platform's two database roles (README "Least privilege"), made by the database
# container's first start (docker-entrypoint-initdb.d runs this as the superuser, connected to
# $POSTGRES_DB). Safe to run again, e.g. on a volume made before the roles existed:
#   docker compose exec postgres sh /docker-entrypoint-initdb.d/10-roles.sh
#   docker compose exec postgres psql -U postgres -d safeguard -f /docker-entrypoint-initdb.d/20-adopt-objects.sql
# - safeguard_owner owns the database and everything in it; migrations and creating
#   partnerships run as it (the `migrate` service). It is not a superuser.
# - safeguard_app is what web, worker and beat connect as: it owns nothing, is not a superuser,
#   and gets only what tenants/privileges.py grants it after each migration.
set -eu
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-safeguard}" \
  -v owner_password="${SAFEGUARD_OWNER_PASSWORD:?set SAFEGUARD_OWNER_PASSWORD}" \
  -v app_password="${SAFEGUARD_APP_PASSWORD:?set SAFEGUARD_APP_PASSWORD}" <<'SQL'
SELECT 'CREATE ROLE safeguard_owner' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'safeguard_owner') \gexec
SELECT 'CREATE ROLE safeguard_app' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'safeguard_app') \gexec
ALTER ROLE safeguard_owner WITH LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'owner_password';
ALTER ROLE safeguard_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'app_password';
SELECT format('ALTER DATABASE %I OWNER TO safeguard_owner', current_database()) \gexec
SQL

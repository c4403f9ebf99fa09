#!/bin/sh
# Runs once, when compose's PostgreSQL volume is first initialised
# (/docker-entrypoint-initdb.d), as the owner role POSTGRES_USER.
#
# The app never connects as the owner: it logs in as parallax_web, which may only act
# as parallax_app, the role Row-Level Security binds. The first migration creates
# parallax_app if it is missing; creating it here first (with the same attributes)
# lets the login be granted it before migrations have run.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="${APP_DB_PASSWORD:?APP_DB_PASSWORD is not set}" <<'SQL'
CREATE ROLE parallax_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
CREATE ROLE parallax_web LOGIN PASSWORD :'app_password' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
GRANT parallax_app TO parallax_web;
SQL

#!/usr/bin/env bash
# PostgreSQL, Redis and nginx from Debian's packages, as deploy/compose.yaml runs them in
# containers: for CI (root on a fresh Debian 12) and developers. Everything listens on
# loopback only. Idempotent: installs what is missing, starts what is not running.
#
#   deploy/services.sh          install and start; create the role "wizard" and its databases
#   deploy/services.sh stop     stop the PostgreSQL cluster and the Redis server started here
set -euo pipefail

PG_ROLE=wizard PG_PASSWORD=wizard REDIS_PORT=6379
as_postgres() { runuser -u postgres -- "$@"; }
cluster() { pg_lsclusters --no-header | awk 'NR==1 {print $1, $2}'; }

if [[ "${1:-start}" == stop ]]; then
  read -r version name < <(cluster) && pg_ctlcluster "$version" "$name" stop || true
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave 2>/dev/null || true
  exit 0
fi

missing=()
command -v pg_ctlcluster >/dev/null || missing+=(postgresql postgresql-contrib)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v nginx >/dev/null || missing+=(nginx)
if ((${#missing[@]})); then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

read -r version name < <(cluster)
pg_ctlcluster "$version" "$name" status >/dev/null 2>&1 || pg_ctlcluster "$version" "$name" start
as_postgres psql -qtAc "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'" | grep -q 1 \
  || as_postgres psql -qc "CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
for database in wizard wizard_test; do
  as_postgres psql -qtAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1 \
    || as_postgres createdb --owner "$PG_ROLE" "$database"
done

redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 \
  || redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save '' --appendonly no \
       --logfile /tmp/wizard-redis.log

echo "PostgreSQL: postgresql+psycopg://$PG_ROLE:$PG_PASSWORD@127.0.0.1:5432/wizard (tests: .../wizard_test)"
echo "Redis:      redis://127.0.0.1:$REDIS_PORT/0"

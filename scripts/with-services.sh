#!/usr/bin/env bash
# Runs a command with a throw-away Redis and PostgreSQL on loopback, then stops both:
#   bash scripts/with-services.sh pnpm exec vitest run packages/postgres packages/redis
# Installs redis-server and postgresql (and, when ML_CONNECTOR_REQUIRE_SERVICES=1, chromium for the console's
# browser tests) from Debian when missing (needs root or sudo). Exports REDIS_URL,
# DATABASE_URL and the server paths the restart tests use (MLC_REDIS_SERVER, MLC_REDIS_PORT). Ports can be moved with
# MLC_REDIS_PORT and MLC_PG_PORT; nothing outlives the command.
set -euo pipefail
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
PACKAGES=()
command -v redis-server >/dev/null || PACKAGES+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || PACKAGES+=(postgresql)
# The console's end-to-end tests drive Debian's Chromium (browsers cannot be downloaded by puppeteer here).
if [ "${ML_CONNECTOR_REQUIRE_SERVICES:-}" = 1 ] && ! command -v chromium >/dev/null; then PACKAGES+=(chromium); fi
if [ ${#PACKAGES[@]} -gt 0 ]; then
  echo "::: installing ${PACKAGES[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
fi
RUN=$(mktemp -d /tmp/mlc-services.XXXXXX)
chmod 755 "$RUN"
REDIS_PORT=${MLC_REDIS_PORT:-6399}
PG_PORT=${MLC_PG_PORT:-5439}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  set +e
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
  as_pg "$PGBIN/pg_ctl" -D "$RUN/pg/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$RUN"
}
trap cleanup EXIT
redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
  --dir "$RUN" --logfile "$RUN/redis.log" --pidfile "$RUN/redis.pid"
if [ "$(id -u)" = 0 ]; then install -d -o postgres -g postgres "$RUN/pg"; else mkdir -p "$RUN/pg"; fi
as_pg "$PGBIN/initdb" -D "$RUN/pg/data" -U postgres --auth=trust -E UTF8 >"$RUN/initdb.log"
as_pg "$PGBIN/pg_ctl" -D "$RUN/pg/data" -l "$RUN/pg/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $RUN/pg -c fsync=off -c max_connections=200" start >/dev/null
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT" DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
export MLC_REDIS_SERVER="$(command -v redis-server)" MLC_REDIS_PORT="$REDIS_PORT" MLC_REDIS_DIR="$RUN"
rc=0
"$@" || rc=$?
exit "$rc"

#!/usr/bin/env bash
# One command from a fresh clone to a full verdict: toolchain, install, build, typecheck, package checks,
# API docs, then every test. Prints `Tests: N passed, N failed, N skipped` as its last line and exits
# non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
step() { echo "::: [$((SECONDS - t0))s] $*"; }

step "toolchain"
. scripts/toolchain.sh

step "pnpm install"
pnpm install --frozen-lockfile --reporter=append-only

step "build, typecheck, package checks, docs"
pnpm run build # before typecheck: dependants resolve @ml-connector/core through dist/*.d.ts
pnpm run typecheck
pnpm run check:exports
pnpm run api:check # fails when a public API differs from its reviewed report (packages/*/etc/*.api.md)
node scripts/smoke.mjs
node scripts/smoke.cjs
pnpm run build:docs

step "tests (with Redis and PostgreSQL on loopback; see scripts/with-services.sh)"
# In CI the service-backed tests (packages/postgres, packages/redis) must run: a missing service fails them
# instead of skipping them. Elsewhere they skip when REDIS_URL / DATABASE_URL are unset and no server can be started.
WITH_SERVICES=()
if [ "${CI:-}" = true ] || [ "${ML_CONNECTOR_REQUIRE_SERVICES:-}" = 1 ]; then
  export ML_CONNECTOR_REQUIRE_SERVICES=1
  WITH_SERVICES=(bash scripts/with-services.sh)
elif command -v redis-server >/dev/null && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  WITH_SERVICES=(bash scripts/with-services.sh)
fi
RESULTS=$(mktemp -d)
trap 'rm -rf "$RESULTS"' EXIT
rc=0
${WITH_SERVICES[@]+"${WITH_SERVICES[@]}"} pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$RESULTS/vitest.json" "$@" || rc=$?
node -e '
  const r = require(process.argv[1]);
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  if (r.numTotalTests === 0) process.exit(1);
' "$RESULTS/vitest.json" || rc=1
exit "$rc"

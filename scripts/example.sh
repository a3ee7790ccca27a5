#!/usr/bin/env bash
# One command from a fresh clone to a running example: installs the pinned toolchain and the dependencies, then
# runs `pnpm example:<name>` with the remaining arguments. With no credentials in the environment the example
# runs against the embedded emulators (`pnpm emulators`), keeping its state under `.ml-connector/`.
#
#   bash scripts/example.sh bc-invoices [--dry-run] [--post] …
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: bash scripts/example.sh <example name> [options]}"
shift
. scripts/toolchain.sh
pnpm install --frozen-lockfile --reporter=silent
exec pnpm -s "example:$name" "$@"

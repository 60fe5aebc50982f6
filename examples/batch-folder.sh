#!/usr/bin/env bash
# Read every ID card image in a folder into a JSONL results file, then summarise it.
# Resumable: run it again with the same results file after a failure or Ctrl-C and only the inputs not yet
# recorded are sent (and paid for) again.
#
#   examples/batch-folder.sh [--mock] [folder] [results.jsonl]
#   FINOS_EKYC="node bin/finos-ekyc.js" examples/batch-folder.sh --mock examples/images
#
# Leading --options are passed to finos-ekyc (--mock, --profile NAME…). CONCURRENCY and RATE (requests per
# minute) tune the batch. Exit status: 0 all read, 1 some inputs failed, 130 interrupted, other codes as
# finos-ekyc's. Needs jq.
set -euo pipefail

FINOS_EKYC=${FINOS_EKYC:-npx finos-ekyc}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

opts=()
while [[ ${1:-} == --* ]]; do opts+=("$1"); shift; done
folder=${1:-$here/images}
results=${2:-results.jsonl}

command -v jq >/dev/null || { echo "batch-folder: jq is required" >&2; exit 2; }

# shellcheck disable=SC2086
finos() { $FINOS_EKYC ${opts[@]+"${opts[@]}"} "$@"; }

rc=0
finos ocr id "$folder" --out "$results" --concurrency "${CONCURRENCY:-4}" --rate "${RATE:-60}" || rc=$?
case $rc in
  0 | 1) ;; # 1: some inputs failed; their records say why
  130) echo "interrupted: run the same command again to finish the rest" >&2; exit 130 ;;
  *) exit "$rc" ;; # 2 usage (empty folder…), 3 auth: nothing useful was recorded
esac
[[ -s $results ]] || { echo "no records in $results" >&2; exit "$rc"; }

# A re-run appends: keep the last record of each file.
latest='reduce inputs as $r ({}; .[$r.file] = $r) | [.[]]'

echo
echo "== outcomes (ok, review, not_detected, failed) =="
jq -nr "$latest"' | group_by(.outcome) | .[] | "\(.[0].outcome)\t\(length)"' "$results"

echo
echo "== needing review: file, summary codes =="
jq -nr "$latest"' | .[] | select(.outcome == "review")
  | "\(.file)\t\([.response.result.summary.details[]?.code] | join(","))"' "$results"

echo
echo "== not read: file, error =="
jq -nr "$latest"' | .[] | select(.ok | not) | "\(.file)\t\(.error.code // "?"): \(.error.message // "")"' "$results"

echo
echo "== read: file, type, ID number =="
jq -nr "$latest"' | .[] | select(.ok) | .file as $f | .response.result.details[]?
  | select(.fieldsExtracted.idNumber.value? // "" | length > 0)
  | "\($f)\t\(.type)\t\(.fieldsExtracted.idNumber.value)"' "$results"

exit "$rc"

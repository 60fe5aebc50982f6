#!/usr/bin/env bash
# Onboard one customer: read their ID card, then check that the selfie is the person on the card.
#
#   examples/onboard.sh [--mock] [card.png] [selfie.png]
#   FINOS_EKYC="node bin/finos-ekyc.js" examples/onboard.sh --mock       # against this repo's build
#
# Leading --options are passed to every finos-ekyc call (--mock, --profile NAME, --host URL…).
# Exit status: 0 approved, 10 needs manual review, 4 card or face not found, other codes as finos-ekyc's.
# Needs jq.
set -euo pipefail

FINOS_EKYC=${FINOS_EKYC:-npx finos-ekyc}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

opts=()
while [[ ${1:-} == --* ]]; do opts+=("$1"); shift; done
card=${1:-$here/images/cccd-front.png}
selfie=${2:-$here/images/selfie.png}

command -v jq >/dev/null || { echo "onboard: jq is required" >&2; exit 2; }

# $FINOS_EKYC is split on spaces on purpose ("npx finos-ekyc", "node bin/finos-ekyc.js").
# shellcheck disable=SC2086
finos() { $FINOS_EKYC ${opts[@]+"${opts[@]}"} "$@"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- 1. read the card ------------------------------------------------------------------------------------
# --json prints the API's response body; --strict turns "the API wants a manual review" into exit 10.
rc=0
finos ocr id "$card" --quality-check --json --strict >"$work/ocr.json" || rc=$?
review=no
case $rc in
  0) ;;
  10)
    review=yes
    echo "card: the API asks for a manual review:" >&2
    jq -r '.result.summary.details[]? | "  \(.code) \(.message)"' "$work/ocr.json" >&2
    ;;
  4) echo "card: no ID card found in $card: take the photo again" >&2; exit 4 ;;
  3) echo "card: the API key was refused: run 'finos-ekyc login' or set FINOS_API_KEY" >&2; exit 3 ;;
  5) echo "card: rate limited: try again in a minute" >&2; exit 5 ;;
  *) echo "card: OCR failed (exit $rc)" >&2; exit "$rc" ;;
esac

# The front side carries the ID number; fields come as { "value": …, "to-be-reviewed": "yes"|"no" }.
front='[.result.details[] | select(.type | endswith("_front"))][0].fieldsExtracted'
id_number=$(jq -r "$front.idNumber.value // empty" "$work/ocr.json")
name=$(jq -r "$front.name.value // empty" "$work/ocr.json")
dob=$(jq -r "$front.dob.value // empty" "$work/ocr.json")
doe=$(jq -r "$front.doe.value // empty" "$work/ocr.json")
if [[ -z $id_number ]]; then
  echo "card: no ID number was read (is $card the front side?)" >&2
  exit 10
fi
echo "card: $name, ID number $id_number, born $dob, valid until ${doe:-?}"

# --- 2. compare the selfie with the card's portrait ------------------------------------------------------
rc=0
finos face compare "$selfie" --id "$card" --json --strict >"$work/compare.json" || rc=$?
case $rc in
  0 | 10) ;;
  4) echo "face: no face found in $selfie or on the card: take the selfie again" >&2; exit 4 ;;
  3) echo "face: the API key was refused" >&2; exit 3 ;;
  5) echo "face: rate limited: try again in a minute" >&2; exit 5 ;;
  *) echo "face: compare failed (exit $rc)" >&2; exit "$rc" ;;
esac
match=$(jq -r '.result.match' "$work/compare.json")
score=$(jq -r '.result.match_score // .result["match-score"] // .result.matchScore' "$work/compare.json")
echo "face: match=$match score=$score"
if [[ $rc -eq 10 ]]; then review=yes; fi

# --- 3. decision -----------------------------------------------------------------------------------------
if [[ $review == no && $match == yes ]]; then
  echo "APPROVED $id_number"
  exit 0
fi
echo "MANUAL REVIEW $id_number"
exit 10

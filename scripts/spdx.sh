#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SPDX licence headers: "SPDX-License-Identifier: Apache-2.0" on the first line of every
# hand-written source file in git, in the file's comment syntax:
#   .go                 // SPDX-License-Identifier: Apache-2.0   (then a blank line, so that
#                                                                  it is not the package doc)
#   .js .mjs .ts .css   /* SPDX-License-Identifier: Apache-2.0 */
#   .py .sh             # SPDX-License-Identifier: Apache-2.0    (after a #! line)
# Generated files (a "Code generated ... DO NOT EDIT." line, *.d.ts) and testdata are skipped.
#
#   scripts/spdx.sh apply   add the header where it is missing (idempotent), then create
#                           .ci/spdx-enforced so that CI checks it from then on
#   scripts/spdx.sh check   list the files without it and fail if there is any
set -euo pipefail
cd "$(dirname "$0")/.."
ID="SPDX-License-Identifier: Apache-2.0"

header() { # header FILE: the header line of FILE's syntax, empty when FILE is not covered
  case "$1" in
  */testdata/*|*.d.ts) ;;
  *.go) echo "// $ID" ;;
  *.js|*.mjs|*.ts|*.css) echo "/* $ID */" ;;
  *.py|*.sh) echo "# $ID" ;;
  esac
}

covered() { # covered FILE: has a header syntax and is not generated
  [ -n "$(header "$1")" ] && ! grep -qE '^// Code generated .* DO NOT EDIT\.$' "$1"
}

has_header() { # the header is the first line, or the second after a #! line
  local first
  first=$(head -n 1 "$1")
  if [[ $first == '#!'* ]]; then first=$(sed -n 2p "$1"); fi
  [ "$first" = "$(header "$1")" ]
}

add_header() {
  local f=$1 h tmp
  h=$(header "$f")
  tmp=$(mktemp)
  if [[ $(head -n 1 "$f") == '#!'* ]]; then
    { head -n 1 "$f"; echo "$h"; tail -n +2 "$f"; } >"$tmp"
  elif [[ $f == *.go ]]; then
    { echo "$h"; echo; cat "$f"; } >"$tmp"
  else
    { echo "$h"; cat "$f"; } >"$tmp"
  fi
  chmod --reference="$f" "$tmp"
  mv "$tmp" "$f" # a new file: a running script (this one) keeps reading the old one
}

missing=()
while IFS= read -r f; do
  [ -f "$f" ] && covered "$f" && ! has_header "$f" && missing+=("$f")
done < <(git ls-files --cached --others --exclude-standard)

case "${1:-}" in
apply)
  for f in "${missing[@]}"; do add_header "$f"; done
  [ -e .ci/spdx-enforced ] || echo "Created by scripts/spdx.sh apply: .ci/run runs scripts/spdx.sh check." >.ci/spdx-enforced
  echo "spdx: header added to ${#missing[@]} files"
  ;;
check)
  if [ ${#missing[@]} -gt 0 ]; then
    printf '%s\n' "${missing[@]}" >&2
    echo "spdx: ${#missing[@]} files lack the first line \"$ID\" (scripts/spdx.sh apply adds it)" >&2
    exit 1
  fi
  echo "spdx: every source file carries $ID"
  ;;
*)
  echo "usage: $0 apply|check" >&2
  exit 2
  ;;
esac

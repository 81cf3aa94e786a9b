#!/usr/bin/env bash
# Appends the symbols the PublicApiAnalyzers report as undeclared (RS0016) to each project's PublicAPI.Unshipped.txt.
# Review the diff afterwards: every line is a public promise.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-Sllm.Sdk.sln}"
dotnet build "$target" -p:TreatWarningsAsErrors=false 2>&1 \
  | grep -oE "[^ ]+\.cs\([0-9]+,[0-9]+\): (error|warning) RS0016: Symbol '.*' is not part of the declared public API.*\[[^]]+\.csproj\]" \
  | sed -E "s/^.*RS0016: Symbol '(.*)' is not part of the declared public API.*\[([^]]+\.csproj)\]$/\2\t\1/" \
  | sort -u \
  | while IFS=$'\t' read -r proj symbol; do
      file="$(dirname "$proj")/PublicAPI.Unshipped.txt"
      grep -qxF -- "$symbol" "$file" || printf '%s\n' "$symbol" >> "$file"
    done
for f in src/*/PublicAPI.Unshipped.txt; do
  { head -n 1 "$f"; tail -n +2 "$f" | LC_ALL=C sort -u; } > "$f.tmp" && mv "$f.tmp" "$f"
done
git --no-pager diff --stat -- 'src/*/PublicAPI.Unshipped.txt' || true

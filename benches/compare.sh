#!/usr/bin/env bash
# The same work in fiscal-lens, DuckDB and polars (Python) on one canonical dataset folder, and
# the ratios. See benches/compare.py for what "the same work" is, and docs/BENCHMARKS.md.
#
#   benches/compare.sh DIR [DIR...]     (e.g. /tmp/s1m from examples/synth, or its Parquet copy)
#
# fiscal-lens is timed as a whole process with /usr/bin/time (start-up, reading, the work,
# writing the output); DuckDB and polars inside their process (reading and the work; Python's
# start-up and imports excluded, which favours them). Each is run RUNS times (default 3) and the
# best time is kept. Peak memory (max RSS) is printed for all three. For a CSV dataset without
# verdicts a third row, "verified", puts the summary beside the others' summary + check.
# DuckDB and polars are installed with pip (--user) when absent.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
runs="${RUNS:-3}"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="$target/release/fiscal-lens"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT

if [ "$#" -eq 0 ]; then
  echo "usage: $0 DIR [DIR...]" >&2
  exit 2
fi
if ! python3 -c "import duckdb, polars" 2>/dev/null; then
  echo "installing duckdb and polars for Python (pip --user)…" >&2
  python3 -m pip install --quiet --user duckdb polars
fi
if [ ! -x "$bin" ]; then
  (cd "$root" && cargo build --release --bin fiscal-lens)
fi

# best of $runs: prints "seconds maxrss_kb"
best_app() {
  local best="" rss=""
  for _ in $(seq "$runs"); do
    local out
    /usr/bin/time -o "$tmp" -f "%e %M" "$@" > /dev/null 2>/dev/null
    out=$(tail -1 "$tmp")
    local t="${out% *}" m="${out#* }"
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best="$t"; rss="$m"; fi
  done
  echo "$best $rss"
}

best_py() {
  local best="" rss=""
  for _ in $(seq "$runs"); do
    local out t m
    t=$(/usr/bin/time -o "$tmp" -f "%M" python3 "$here/compare.py" "$@" 2>/dev/null | tail -1)
    m=$(tail -1 "$tmp")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best="$t"; rss="$m"; fi
  done
  echo "$best $rss"
}

printf '%-28s %-8s %10s %10s %10s %9s %9s\n' dataset work fiscal-lens duckdb polars "÷duckdb" "÷polars"
for dir in "$@"; do
  for work in summary check; do
    if [ "$work" = summary ]; then
      read -r app app_rss < <(best_app "$bin" summary --json "$dir")
    else
      read -r app app_rss < <(best_app "$bin" check "$dir")
    fi
    read -r duck duck_rss < <(best_py duckdb "$work" "$dir")
    read -r pol pol_rss < <(best_py polars "$work" "$dir")
    printf '%-28s %-8s %9ss %9ss %9ss %8.2f× %8.2f×\n' "$(basename "$dir")" "$work" \
      "$app" "$duck" "$pol" \
      "$(awk "BEGIN{print $app / $duck}")" "$(awk "BEGIN{print $app / $pol}")"
    printf '%-28s %-8s %8s MB %7s MB %7s MB\n' "" "max RSS" \
      "$((app_rss / 1024))" "$((duck_rss / 1024))" "$((pol_rss / 1024))"
    [ "$work" = summary ] && summary_app="$app"
  done
  # a CSV dataset whose manifest records no verdicts: fiscal-lens verifies every table at load
  # before summarising, so its summary is also put beside DuckDB's and polars' summary + check
  # on one reading ("verified" in compare.py)
  if [ -f "$dir/tables.csv" ] && ! head -1 "$dir/tables.csv" | grep -q verdict; then
    read -r duck duck_rss < <(best_py duckdb verified "$dir")
    read -r pol pol_rss < <(best_py polars verified "$dir")
    printf '%-28s %-8s %9ss %9ss %9ss %8.2f× %8.2f×\n' "" "verified" \
      "$summary_app" "$duck" "$pol" \
      "$(awk "BEGIN{print $summary_app / $duck}")" "$(awk "BEGIN{print $summary_app / $pol}")"
  fi
done

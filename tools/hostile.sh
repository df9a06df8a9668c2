#!/usr/bin/env bash
# Run the CLI on each crafted input of the hostile-files review (issue 15) under the bounds its
# "done when" sets: 2 GB of address space (ulimit -v) and 20 s. Prints one line per run: case,
# command, exit code (2 = clean located refusal, 0 = imported), seconds, peak RSS, first message.
#
#   tools/hostile.sh [CASE_DIR]     (default /tmp/fiscal-lens-hostile; built when absent)
#
# Needs a release build: cargo build --release --bin fiscal-lens --example hostile
set -u
target="${CARGO_TARGET_DIR:-$(dirname "$0")/../target}"
bin="$target/release/fiscal-lens"
gen="$target/release/examples/hostile"
dir="${1:-/tmp/fiscal-lens-hostile}"
[ -x "$bin" ] && [ -x "$gen" ] || { echo "build first: cargo build --release --bin fiscal-lens --example hostile" >&2; exit 2; }
[ -d "$dir" ] || "$gen" "$dir" || exit 2
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
printf '%-22s %-8s %4s %7s %9s  %s\n' case command exit seconds "peak MB" message
run() { # case command args...
  local case="$1" cmd="$2"; shift 2
  rm -rf "$out/ds"
  (
    ulimit -v 2097152
    exec /usr/bin/time -f '%e %M' -o "$out/time" timeout 20 "$bin" "$cmd" "$@" >"$out/stdout" 2>"$out/stderr"
  )
  local rc=$? t rss msg
  read -r t rss < <(tail -n1 "$out/time") 2>/dev/null || { t="?"; rss=0; }
  # the first located message (an error line naming the input), else the first error line
  msg="$(cat "$out/stderr" "$out/stdout" | grep -m1 -E "^ +错误 |panick|memory allocation" \
    || cat "$out/stderr" "$out/stdout" | grep -m1 -E '错误|已写出')"
  msg="$(echo "$msg" | sed 's/^ *//' | cut -c1-120)"
  printf '%-22s %-8s %4s %7s %9s  %s\n' "$case" "$cmd" "$rc" "$t" "$((rss / 1024))" "$msg"
}
for f in xfd.xlsx zip-bomb.xlsx zip-bomb-lying.xlsx sst-bomb.xlsx rows-1m.xlsx csv-200mb zero.csv fifo.csv \
  pdf-flate-bomb.pdf pdf-huge-size.pdf pdf-pages.pdf pdf-glyphs.pdf ods-repeat.ods; do
  run "$f" import --out "$out/ds" "$dir/$f"
done
run csv-200mb summary "$dir/csv-200mb"
run huge-sums summary "$dir/huge-sums"
run huge-sums check "$dir/huge-sums"

#!/usr/bin/env bash
# Times the engine (pure Java, and libjpeg-turbo where installed) and libvips (through sharp) on the
# same photos and cases, on this machine, and prints both and their ratio.
#   bench/fetch-photos.sh            # once
#   bench/compare.sh [photo ...]     # default: the 20.4 MP Kleiber and the 13.4 MP Dragonfly photos
# RUNS (default 15) timed runs per case after WARMUP (default 3). Needs node and npm for sharp.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
if [ "$#" -eq 0 ]; then
  set -- bench/photos/Kleiber_by_Lukas_Baubkus.jpg bench/photos/Dragonfly_by_Bolly.jpg
fi
runs="${RUNS:-15}"
warmup="${WARMUP:-3}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
abs=()
for photo in "$@"; do abs+=("$(cd "$(dirname "$photo")" && pwd)/$(basename "$photo")"); done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
(cd bench/sharp && { [ -d node_modules/sharp ] || npm ci --no-audit --no-fund >/dev/null; } \
  && RUNS="$runs" WARMUP="$warmup" node bench.js "${abs[@]}") | tee "$out/vips.txt"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.stillwater.bench.EngineBenchmark \
  -Druns="$runs" -Dwarmup="$warmup" -Dexec.args="$*" | tee "$out/engine.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# One line per photo and case: medians of the engine's two paths and of libvips, and the ratios.
awk '
  { path = FILENAME ~ /vips/ ? "vips" : $1; mp = 0; md = 0
    for (i = 1; i <= NF; i++) { if ($i == "MP" && !mp) mp = i; if ($i == "median") md = i }
    if (!mp || !md || (path != "vips" && path != "java" && path != "turbo")) next
    c = $(mp + 1); for (i = mp + 2; i < md; i++) c = c " " $i
    key = $(mp - 2) "|" c; ms[path, key] = $(md + 1)
    if (path == "vips") order[++n] = key }
  function ratio(a, b) { return a == "" ? "-" : sprintf("%.2fx", a / b) }
  END {
    printf "\n%-34s %-22s %8s %9s %8s %10s %11s\n", "photo", "case", "java ms", "turbo ms", "vips ms", "java/vips", "turbo/vips"
    for (i = 1; i <= n; i++) {
      k = order[i]; split(k, part, "|"); v = ms["vips", k]; j = ms["java", k]; t = ms["turbo", k]
      printf "%-34s %-22s %8s %9s %8s %10s %11s\n", part[1], part[2], j == "" ? "-" : j, t == "" ? "-" : t, v, ratio(j, v), ratio(t, v)
    }
  }' "$out/vips.txt" "$out/engine.txt"

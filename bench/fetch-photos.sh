#!/usr/bin/env bash
# Fetches real photographs with clear licences for the benchmarks into bench/photos/ (not committed).
# They come from Debian packages of desktop wallpapers:
#   lomiri-wallpapers-20.04: Kleiber_by_Lukas_Baubkus.jpg, 20.4 MP baseline JPEG (CC-BY-SA-3.0)
#   lomiri-wallpapers-16.04: 12-16 MP progressive JPEGs (CC-BY / CC0)
# Needs apt-get (Debian or Ubuntu); run as root or with sudo for `apt-get update` if the lists are stale.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/photos"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download lomiri-wallpapers-20.04 lomiri-wallpapers-16.04 >/dev/null 2>&1; then
  apt-get update -qq
  apt-get download lomiri-wallpapers-20.04 lomiri-wallpapers-16.04
fi
for deb in *.deb; do
  dpkg-deb -x "$deb" extracted
done
find extracted -type f -iname '*.jpg' -exec cp {} "$out/" \;
ls -l "$out"

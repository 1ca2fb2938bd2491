#!/usr/bin/env bash
# install-deps.sh - install what vanban needs to build and test on Debian 12.
# Idempotent: asks dpkg first and runs apt-get only when something is missing.
# Fonts are bundled in fonts/, so no font package is needed at run time.
set -eu

packages=(
  build-essential pkg-config
  libpango1.0-dev libcairo2-dev libfyaml-dev libglib2.0-dev librsvg2-dev
  libgdk-pixbuf-2.0-dev libxml2-dev libfreetype-dev libfontconfig-dev libharfbuzz-dev
  libhpdf-dev libcsv-dev liblcms2-dev zlib1g-dev libdeflate-dev libdeflate0
  poppler-utils qpdf mupdf-tools python3 python3-pikepdf python3-yaml imagemagick time hyperfine
  locales parallel
  clang libclang-rt-14-dev clang-format clang-tidy valgrind
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  case "$status" in
    ii*) ;;
    *) missing+=("$p") ;;
  esac
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: apt-get not found; install these by hand: ${missing[*]}" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-deps: not root and no sudo; install these by hand: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q; then
  echo "install-deps: 'apt-get update' failed: is the network up and /etc/apt/sources.list" \
    "right? Then run this script again; or install these by hand: ${missing[*]}" >&2
  exit 1
fi
if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  echo "install-deps: 'apt-get install' failed (see above); these are still needed:" \
    "${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installed ${#missing[@]} packages"

#!/usr/bin/env bash
# The C++ headers of PyTorch 2.7.1 from PyPI's wheel, unpacked once into ${BELLM_CACHE:-~/.cache/bellm}/torch-2.7.1
# (never into the repository):
#   scripts/torch-wheel.sh include   prints their directory (what bellm-model's native BF16 kernels compile
#                                    against; they link against DJL's own libtorch 2.7.1, see
#                                    bellm-model/src/main/native/build.sh)
# The wheel is PyPI's manylinux_2_28_x86_64 one (~820 MB, pip checks its hash); pip comes from the machine's Python 3.
set -euo pipefail
version=2.7.1
home="${BELLM_CACHE:-$HOME/.cache/bellm}/torch-$version"
log() { echo "torch-wheel: $*" >&2; }

unpack() {
  [ -f "$home/.complete" ] && return 0
  local download="$home.download"
  rm -rf "$home" "$download"
  mkdir -p "$download"
  log "downloading torch==$version from PyPI (once, ~820 MB)"
  python3 -m pip download -q "torch==$version" --no-deps --only-binary :all: --python-version 3.11 \
    --platform manylinux_2_28_x86_64 -d "$download" >&2
  local wheel
  wheel="$(ls "$download"/torch-"$version"-*.whl)"
  python3 -m zipfile -e "$wheel" "$download/x" >&2
  mkdir -p "$home"
  mv "$download/x/torch/include" "$home/"
  rm -rf "$download"
  touch "$home/.complete"
}

case "${1:-}" in
  include) unpack; echo "$home/include" ;;
  *) echo "usage: $0 include" >&2; exit 2 ;;
esac

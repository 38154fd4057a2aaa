#!/usr/bin/env bash
# Builds libbellm_torch.so (bf16_kernels.cpp) into OUT_DIR, where Maven packages it as a resource of bellm-model:
#   build.sh OUT_DIR PYTORCH_NATIVE_JAR
# It compiles against the C++ headers of PyPI's torch 2.7.1 wheel (scripts/torch-wheel.sh) and links against the
# libtorch_cpu.so and libc10.so of DJL's pytorch-native-cpu jar (PYTORCH_NATIVE_JAR), the very libraries DJL loads at
# run time: the library names them by soname, so the loader binds it to the copies already in the JVM. Skipped when
# the library is newer than its sources.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$1"
native_jar="$2"
lib="$out/libbellm_torch.so"
if [ -f "$lib" ] && [ "$lib" -nt "$here/bf16_kernels.cpp" ] && [ "$lib" -nt "$here/build.sh" ]; then
  exit 0
fi
include="$("$here/../../../../scripts/torch-wheel.sh" include)"
link="$(mktemp -d)"
trap 'rm -rf "$link"' EXIT
unzip -q -j "$native_jar" 'pytorch/cpu/linux-x86_64/libtorch_cpu.so' 'pytorch/cpu/linux-x86_64/libc10.so' -d "$link"
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
mkdir -p "$out"
echo "native: compiling $lib against libtorch 2.7.1" >&2
# _GLIBCXX_USE_CXX11_ABI=1: libtorch 2.7.1 (the wheel's and DJL's) is built with the C++11 ABI
g++ -O2 -std=c++17 -shared -fPIC -D_GLIBCXX_USE_CXX11_ABI=1 -I"$include" -I"$java_home/include" \
  -I"$java_home/include/linux" "$here/bf16_kernels.cpp" -L"$link" -l:libtorch_cpu.so -l:libc10.so -o "$lib.tmp"
mv "$lib.tmp" "$lib"

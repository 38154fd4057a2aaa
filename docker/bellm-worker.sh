#!/bin/sh
# `bellm` inside the workers image: runs the worker that owns a command, as the repository's ./bellm launcher does
# (without building anything). The operator's step Jobs call it: bellm sweep|evaluate|train ...
set -eu
usage() {
  echo "Usage: bellm embed|evaluate|sweep|sweep-merge|tiny-model|train [OPTIONS]   (bellm COMMAND --help for its options)"
}
case "${1:-}" in
  embed|evaluate|sweep|sweep-merge|tiny-model) jar=/opt/bellm/eval-worker.jar ;;
  train) jar=/opt/bellm/training-worker.jar ;;
  ""|-h|--help|help) usage; exit 0 ;;
  *) echo "bellm: unknown command '$1'" >&2; usage >&2; exit 2 ;;
esac
threads="${BELLM_THREADS:-$(nproc)}"
# native hot loops: C2's compiler threads would only take cores from them (see ../bellm)
# shellcheck disable=SC2086
exec java -XX:TieredStopAtLevel=1 ${JAVA_OPTS:-} -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" \
  -Dai.djl.pytorch.num_interop_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$jar" "$@"

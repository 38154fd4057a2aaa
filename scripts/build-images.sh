#!/usr/bin/env bash
# Builds the platform's three images into the local docker daemon, with no registry (nothing is pulled):
#   scripts/build-images.sh [--tag TAG] [--no-maven] [--rebuild-base] [--base-only]
# 1. the base image bellm/base-jre:bookworm, once (skipped when the daemon has it; --rebuild-base forces it):
#    `debootstrap --variant=minbase bookworm` from the machine's own Debian mirror (read from its apt sources), then
#    openjdk-17-jre-headless (--no-install-recommends) installed in that root, its apt sources and lists removed,
#    and the root `docker import`ed as one layer. It sets no USER (the Dockerfiles' groupadd/useradd run as root).
# 2. the Maven packaging the Dockerfiles copy from (skipped with --no-maven):
#    mvn -B -ntp -q package -DskipTests -pl operator,embed-service,eval-worker,training-worker -am
# 3. docker/{operator,workers,embed-service}.Dockerfile with --build-arg BASE_IMAGE=bellm/base-jre:bookworm, tagged
#    bellm/operator:TAG, bellm/workers:TAG, bellm/embed-service:TAG. (--base-only: step 1 alone.)
# TAG defaults to `dev`: not `latest`, so the operator's step Jobs (which set no pull policy) get IfNotPresent and use
# the local image; not the chart's appVersion, since these are snapshot builds. Install the chart with
# --set images.<name>.repository=bellm/<image> --set images.<name>.tag=TAG. Prints each image's build time and size.
# Needs root (debootstrap, chroot) and the daemon of scripts/container-runtime.sh (started if none answers).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
tag=dev
maven=1
rebuild_base=0
base_only=0
base_image=bellm/base-jre:bookworm
suite=bookworm
log() { echo "build-images: $*" >&2; }
usage() { echo "usage: $0 [--tag TAG] [--no-maven] [--rebuild-base] [--base-only]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) [ $# -ge 2 ] || usage; tag=$2; shift 2 ;;
    --no-maven) maven=0; shift ;;
    --rebuild-base) rebuild_base=1; shift ;;
    --base-only) base_only=1; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage ;;
  esac
done
work="${BELLM_IMAGES_WORK:-${TMPDIR:-/tmp}/bellm-build-images}"
declare -A seconds=()

# The first URI of the machine's apt sources that serves the Debian suite itself (not -security / -updates), from
# deb822 files (/etc/apt/sources.list.d/*.sources) or one-line entries (/etc/apt/sources.list). Never stored.
debian_mirror() {
  local f uri=""
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk -v RS= -v s="$suite" '{
        types = ""; suites = ""; uris = ""; n = split($0, line, "\n")
        for (i = 1; i <= n; i++) {
          l = line[i]; if (l ~ /^[ \t]*#/) continue; gsub(/[ \t]+/, " ", l)
          if (l ~ /^Types:/) types = substr(l, 7) " "
          if (l ~ /^Suites:/) suites = substr(l, 8) " "
          if (l ~ /^URIs:/) uris = substr(l, 6)
        }
        if (types ~ / deb / && suites ~ (" " s " ")) { split(uris, u, " "); print u[1]; exit }
      }' "$f")
    [ -n "$uri" ] && break
  done
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk -v s="$suite" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ }
                                          if ($(i + 1) == s) { print $i; exit } }' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || { log "no Debian $suite entry in the machine's apt sources"; exit 1; }
  echo "$uri"
}

build_base() {
  if [ $rebuild_base = 0 ] && docker image inspect "$base_image" >/dev/null 2>&1; then
    log "$base_image exists ($(size_mb "$base_image") MB): not rebuilt (--rebuild-base to force)"; return
  fi
  [ "$(id -u)" = 0 ] || { log "the base image needs root (debootstrap, chroot)"; exit 1; }
  command -v debootstrap >/dev/null || { log "debootstrap missing: scripts/container-runtime.sh start installs it"; exit 1; }
  local mirror host rootfs="$work/rootfs" started=$SECONDS
  mirror=$(debian_mirror); host=$(echo "$mirror" | sed -E 's|^[a-z+]+://([^/:]+).*|\1|')
  umount_rootfs
  rm -rf "$rootfs" && mkdir -p "$work"
  log "debootstrap --variant=minbase $suite from the machine's Debian mirror into $rootfs (log $work/debootstrap.log)"
  debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; log "debootstrap failed, log above"; exit 1; }
  log "installing openjdk-17-jre-headless in it (log $work/jre.log)"
  trap umount_rootfs EXIT
  mount -t proc proc "$rootfs/proc"    # the JRE's postinst runs java (ca-certificates-java's keystore)
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"    # apt in the chroot resolves the mirror as the host's apt does
  { chroot "$rootfs" apt-get update -qq &&
    chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      openjdk-17-jre-headless &&
    chroot "$rootfs" apt-get clean; } > "$work/jre.log" 2>&1 \
    || { tail -20 "$work/jre.log" >&2; log "installing the JRE failed, log above"; exit 1; }
  umount_rootfs; trap - EXIT
  # no trace of the mirror in the image: apt sources and lists go (an image that needs apt brings its own sources)
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/etc/apt/sources.list "$rootfs"/etc/apt/sources.list.d/* \
    "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/var/tmp/*
  : > "$rootfs/etc/resolv.conf"
  if grep -rlsIF -- "$host" "$rootfs/etc" "$rootfs/var" | head -3 | grep .; then
    log "the mirror's host name is still in the files above: not importing"; exit 1
  fi
  tar -C "$rootfs" --numeric-owner -cf - . | docker import \
    --change 'ENV LANG=C.UTF-8 JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
    --change 'CMD ["/bin/bash"]' \
    --message "debootstrap --variant=minbase $suite + openjdk-17-jre-headless (scripts/build-images.sh)" \
    - "$base_image" >/dev/null
  rm -rf "$rootfs"
  seconds[$base_image]=$((SECONDS - started))
  log "built $base_image in ${seconds[$base_image]} s: $(docker run --rm "$base_image" java -version 2>&1 | head -1)"
}

umount_rootfs() {
  local m
  for m in $(awk -v d="$work/rootfs" 'index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" || true
  done
}

size_mb() { echo $(( $(docker image inspect --format '{{.Size}}' "$1") / 1000000 )); }

build_image() {
  local name=$1 dockerfile=$2 started=$SECONDS image="bellm/$1:$tag"
  log "docker build -f $dockerfile -t $image (log $work/$name.log)"
  docker build --build-arg BASE_IMAGE="$base_image" -f "$root/$dockerfile" -t "$image" "$root" > "$work/$name.log" 2>&1 \
    || { tail -20 "$work/$name.log" >&2; log "building $image failed, log above"; exit 1; }
  seconds[$image]=$((SECONDS - started))
}

mkdir -p "$work"
"$here/container-runtime.sh" start
build_base
if [ $base_only = 1 ]; then
  printf '%-32s %10s %10s\n' IMAGE "BUILD (s)" "SIZE (MB)" "$base_image" "${seconds[$base_image]:-cached}" "$(size_mb "$base_image")"
  exit 0
fi
if [ $maven = 1 ]; then
  log "mvn -B -ntp -q package -DskipTests -pl operator,embed-service,eval-worker,training-worker -am"
  started=$SECONDS
  (cd "$root" && nice mvn -B -ntp -q package -DskipTests -pl operator,embed-service,eval-worker,training-worker -am >&2)
  log "maven packaging took $((SECONDS - started)) s"
fi
build_image operator docker/operator.Dockerfile
build_image workers docker/workers.Dockerfile
build_image embed-service docker/embed-service.Dockerfile
printf '%-32s %10s %10s\n' IMAGE "BUILD (s)" "SIZE (MB)"
for image in "$base_image" "bellm/operator:$tag" "bellm/workers:$tag" "bellm/embed-service:$tag"; do
  printf '%-32s %10s %10s\n' "$image" "${seconds[$image]:-cached}" "$(size_mb "$image")"
done

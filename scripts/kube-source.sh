# Sourced (not run) by scripts/kube-apiserver.sh and scripts/kube-cluster.sh: Debian's `kubernetes` source package
# (1.20.5+really1.20.2), fetched with deb-src entries copied from the machine's own apt sources, fixed to build with
# Debian's Go 1.19 in GOPATH mode, and built with the tree's own `make WHAT=...`. The caller defines log().
#   kube_install_packages PKG...          apt-get install of the missing ones (root)
#   kube_prepare_source WORK              fetches and fixes the tree under WORK, prints its path
#   kube_make WORK TREE WHAT...           make WHAT="..." in TREE (static binaries under TREE/_output)
k8s_version=1.20.2
cache="${BELLM_CACHE:-$HOME/.cache/bellm}"
debian_go=/usr/lib/go-1.19/bin
# what fetching and building the tree needs
kube_build_packages=(golang-go rsync golang-github-modern-go-reflect2-dev dpkg-dev)

# deb-src for the machine's own Debian suites: copy its deb822 stanzas / one-line entries of that codename.
enable_deb_src() {
  local codename list=/etc/apt/sources.list.d/bellm-deb-src.sources
  codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
  [ -f "$list" ] && return
  local src
  {
    for src in /etc/apt/sources.list.d/*.sources; do
      [ -f "$src" ] || continue
      awk -v RS= -v ORS='\n\n' -v c="$codename" '/(^|\n)Types:[^\n]*deb/ && $0 ~ ("Suites:[^\n]*" c) {
        sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$src"
    done
    if [ -f /etc/apt/sources.list ]; then
      grep -E "^deb [^#]* $codename[ -]" /etc/apt/sources.list | sed 's/^deb /deb-src /' |
        awk '{ print "Types: deb-src\nURIs: " $2 "\nSuites: " $3 "\nComponents: " substr($0, index($0, $4)) "\n" }'
    fi
  } > "$list.tmp"
  [ -s "$list.tmp" ] || { rm -f "$list.tmp"; log "no Debian $codename entry in the apt sources to copy as deb-src"; exit 1; }
  mv "$list.tmp" "$list"
  log "enabled deb-src in $list"
}

kube_install_packages() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return
  [ "$(id -u)" = 0 ] || { log "needs root to install: ${missing[*]}"; exit 1; }
  apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >&2
}

kube_prepare_source() {
  local work=$1
  [ "$(id -u)" = 0 ] && enable_deb_src
  kube_install_packages "${kube_build_packages[@]}"
  [ -x "$debian_go/go" ] || { log "Debian's Go 1.19 not found in $debian_go"; exit 1; }
  rm -rf "$work" && mkdir -p "$work"
  log "fetching Debian's kubernetes $k8s_version source package into $work"
  (cd "$work" && apt-get source -qq kubernetes >&2)
  local tree; tree=$(find "$work" -maxdepth 1 -mindepth 1 -type d -name 'kubernetes-*' | head -1)
  [ -d "$tree/vendor" ] || { log "no vendored source tree in $work"; exit 1; }
  # The vendored reflect2 1.0.1 segfaults on the first custom resource when built with Go >= 1.18.
  local reflect2=/usr/share/gocode/src/github.com/modern-go/reflect2
  rm -f "$tree"/vendor/github.com/modern-go/reflect2/*.go "$tree"/vendor/github.com/modern-go/reflect2/*.s
  cp "$reflect2"/*.go "$tree/vendor/github.com/modern-go/reflect2/"
  find "$reflect2" -maxdepth 1 -name '*.s' -exec cp {} "$tree/vendor/github.com/modern-go/reflect2/" \;
  rm -f "$tree"/vendor/github.com/modern-go/reflect2/*_test.go
  mkdir -p "$work/.go/src/k8s.io" && ln -sfn "$tree" "$work/.go/src/k8s.io/kubernetes"
  echo "$tree"
}

kube_make() {
  local work=$1 tree=$2; shift 2
  log "building $* with $("$debian_go/go" version)"
  (cd "$work/.go/src/k8s.io/kubernetes" &&
    PATH="$debian_go:$PATH" GOPATH="$work/.go" GOPROXY=off GOFLAGS= CGO_ENABLED=0 KUBE_GIT_VERSION="v$k8s_version" \
      nice make WHAT="$*" >&2)
}

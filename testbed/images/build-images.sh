#!/usr/bin/env bash
# Builds the local Docker test images provision-debian:bookworm, :trixie and :sid.
#
#   testbed/images/build-images.sh [bookworm|trixie|sid|all]      (default: all: the suites the project's own tests use)
#
# Each image: systemd as PID 1, openssh-server, sudo, ca-certificates, no python3, empty machine-id,
# root login by key, users deploy/deploy (sudo with password) and nopriv/nopriv (no sudo).
# The test key pair lives in ${XDG_CACHE_HOME:-~/.cache}/provision/testkey (generated once).
#
# Base: `docker pull debian:SUITE` when a registry is reachable, otherwise
# debootstrap (minbase) from the Debian mirror + `docker import` as provision-debian-base:SUITE.
# Idempotent: an image whose label dev.provision.inputs matches the hash of the build inputs
# (Dockerfile, this script, test public key) is reused. Concurrent runs serialise per suite (flock).
#
# Environment: PROVISION_DEBIAN_MIRROR (default: the host's deb.debian.org URL or http://deb.debian.org/debian),
#              PROVISION_SKIP_PULL=1 (go straight to debootstrap), PROVISION_REBUILD=1 (ignore existing images).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCRIPT_PATH="$SCRIPT_DIR/$(basename "${BASH_SOURCE[0]}")"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/provision"
KEY="$CACHE_DIR/testkey"
IMAGE_REPO=provision-debian
BASE_REPO=provision-debian-base
PACKAGES=systemd,systemd-sysv,openssh-server,sudo,ca-certificates,dbus
export DOCKER_BUILDKIT="${DOCKER_BUILDKIT:-0}"   # classic builder: works with Debian's docker.io without buildx

ts() { date +%H:%M:%S; }
log() { printf '[build-images %s] %s\n' "$(ts)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() { echo "usage: $0 [bookworm|trixie|sid|all]" >&2; exit 2; }

case "${1:-all}" in
  bookworm|trixie|sid) SUITES=("$1") ;;
  all) SUITES=(bookworm trixie sid) ;;
  -h|--help) usage ;;
  *) usage ;;
esac

command -v docker >/dev/null || die "docker CLI not found (apt-get install docker.io)"
docker info >/dev/null 2>&1 || die "Docker engine not reachable at /var/run/docker.sock: start it with \`dockerd &\` or run .ci/run"

mkdir -p "$CACHE_DIR"

# --- the test key (one per user account, reused) ----------------------------------------------
ensure_key() {
  exec 8>"$CACHE_DIR/testkey.lock"
  flock 8
  if [[ ! -s "$KEY" || ! -s "$KEY.pub" ]]; then
    rm -f "$KEY" "$KEY.pub"
    ssh-keygen -q -t ed25519 -N '' -C provision-testkey -f "$KEY"
    log "generated test key $KEY"
  fi
  chmod 600 "$KEY"
  flock -u 8
  exec 8>&-
}

# Debian mirror: explicit, else what this host's apt uses (if it's a Debian archive), else deb.debian.org.
detect_mirror() {
  if [[ -n "${PROVISION_DEBIAN_MIRROR:-}" ]]; then echo "$PROVISION_DEBIAN_MIRROR"; return; fi
  local m
  m=$( { cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/{for(i=2;i<=NF;i++)print $i}';
         cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '$1=="deb"{for(i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; break}}'; } \
       | grep -E '/debian/?$' | grep -v security | head -n1 || true)
  echo "${m:-http://deb.debian.org/debian}"
}

image_label() { # image label -> value or empty
  docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true
}

inputs_hash() { # suite
  { echo "suite=$1"; cat "$SCRIPT_DIR/Dockerfile" "$SCRIPT_PATH" "$KEY.pub"; } | sha256sum | cut -c1-16
}

# --- base image ---------------------------------------------------------------------------------
ensure_base() { # suite -> echoes base image ref
  local suite=$1 t0 base="$BASE_REPO:$suite" mirror want
  mirror=$(detect_mirror)
  want=$(printf 'debootstrap minbase %s %s %s' "$suite" "$PACKAGES" "$mirror" | sha256sum | cut -c1-16)
  if [[ "${PROVISION_REBUILD:-0}" != 1 && "$(image_label "$base" dev.provision.base)" == "$want" ]]; then
    log "$suite: reusing base image $base"
    echo "$base"; return
  fi
  if [[ "${PROVISION_SKIP_PULL:-0}" != 1 ]]; then
    t0=$SECONDS
    log "$suite: trying docker pull debian:$suite"
    if timeout 300 docker pull -q "debian:$suite" >&2 2>/dev/null; then
      log "$suite: pulled debian:$suite in $((SECONDS - t0)) s"
      echo "debian:$suite"; return
    fi
    log "$suite: pull failed ($((SECONDS - t0)) s), falling back to debootstrap"
  fi
  command -v debootstrap >/dev/null || die "debootstrap not installed (apt-get install debootstrap) and no registry reachable"
  [[ $(id -u) == 0 ]] || die "debootstrap needs root"
  local dir
  dir=$(mktemp -d "${TMPDIR:-/var/tmp}/provision-$suite-rootfs.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$dir'" EXIT
  t0=$SECONDS
  log "$suite: debootstrap --variant=minbase from $mirror into $dir (takes ~2 min)"
  if ! debootstrap --variant=minbase --include="$PACKAGES" "$suite" "$dir" "$mirror" \
        > "$CACHE_DIR/debootstrap-$suite.log" 2>&1; then
    tail -n 30 "$CACHE_DIR/debootstrap-$suite.log" >&2
    die "$suite: debootstrap failed (full log: $CACHE_DIR/debootstrap-$suite.log)"
  fi
  log "$suite: debootstrap done in $((SECONDS - t0)) s"
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/debootstrap 2>/dev/null || true
  t0=$SECONDS
  tar -C "$dir" --numeric-owner -c . \
    | docker import --change "LABEL dev.provision.base=$want" --change 'CMD ["/bin/bash"]' - "$base" >/dev/null
  log "$suite: imported $base in $((SECONDS - t0)) s"
  rm -rf "$dir"; trap - EXIT
  echo "$base"
}

# --- final image --------------------------------------------------------------------------------
build_suite() {
  local suite=$1 image="$IMAGE_REPO:$1" hash start=$SECONDS
  exec 9>"$CACHE_DIR/build-$suite.lock"
  if ! flock -n 9; then
    log "$suite: another build is running, waiting for its lock"
    flock 9
  fi
  hash=$(inputs_hash "$suite")
  if [[ "${PROVISION_REBUILD:-0}" != 1 && "$(image_label "$image" dev.provision.inputs)" == "$hash" ]]; then
    log "$suite: $image is up to date (inputs $hash), skipping"
    flock -u 9; exec 9>&-
    return
  fi
  log "$suite: building $image (inputs $hash)"
  local base ctx t0
  base=$(ensure_base "$suite")
  ctx=$(mktemp -d "${TMPDIR:-/tmp}/provision-ctx.XXXXXX")
  cp "$SCRIPT_DIR/Dockerfile" "$ctx/Dockerfile"
  cp "$KEY.pub" "$ctx/testkey.pub"
  t0=$SECONDS
  if ! docker build -q --pull=false --build-arg "BASE=$base" --build-arg "SUITE=$suite" \
        --label "dev.provision.inputs=$hash" \
        --label "dev.provision.testkey=$(cut -d' ' -f2 "$KEY.pub")" \
        --label "dev.provision.suite=$suite" \
        -t "$image" "$ctx" > "$CACHE_DIR/docker-build-$suite.log" 2>&1; then
    cat "$CACHE_DIR/docker-build-$suite.log" >&2
    rm -rf "$ctx"
    die "$suite: docker build failed"
  fi
  rm -rf "$ctx"
  # drop the previous build of this image once nothing uses it (dangling images only)
  docker image prune -f --filter "label=dev.provision.suite=$suite" >/dev/null 2>&1 || true
  log "$suite: docker build layer done in $((SECONDS - t0)) s"
  log "$suite: $image ready in $((SECONDS - start)) s total"
  flock -u 9; exec 9>&-
}

ensure_key
for s in "${SUITES[@]}"; do build_suite "$s"; done
log "done: $(docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' "$IMAGE_REPO" | tr '\n' ' ')"

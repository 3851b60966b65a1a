# Shared by the bench scripts: images, containers, known_hosts, the provision jar. Source it, don't run it.
# Containers are started like testbed's DebianHost (same image, same flags): systemd as PID 1, sshd on a
# port published on 127.0.0.1, the test key for root.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/provision"
TEST_KEY="$CACHE_DIR/testkey"
BENCH_LABEL=dev.provision.bench
PROVISION_JAR="$REPO_DIR/cli/target/provision.jar"
PROVISION="$REPO_DIR/provision"   # the launcher users run: the jar with its JVM options
FLEET_PACKAGES="nginx cron rsync logrotate jq"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

require_tools() {
  command -v docker >/dev/null || die "docker CLI missing (bash .ci/setup installs the engine)"
  docker info >/dev/null 2>&1 || die "Docker engine not answering (bash .ci/setup starts it)"
  if ! command -v ansible-playbook >/dev/null; then
    log "installing Debian's ansible-core"
    apt-get install -y ansible-core >/dev/null || die "apt-get install -y ansible-core failed"
  fi
  [[ -x /usr/bin/time ]] || apt-get install -y time >/dev/null || die "GNU time missing (apt-get install time)"
  command -v javac >/dev/null || die "javac missing: the CLI compiles the bench playbooks from source"
}

# The provision fat jar, rebuilt when missing or older than a source: module by module (each from its own
# directory, as the root reactor is not to be run while others edit the tree), like ./provision would.
ensure_provision_jar() {
  local m
  if [[ -f $PROVISION_JAR && -z "$(find "$REPO_DIR/pom.xml" "$REPO_DIR"/{dsl,tasks,engine,playbooks,cli} \
        -name target -prune -o -type f -newer "$PROVISION_JAR" -print -quit)" ]]; then
    return
  fi
  log "building provision (dsl, tasks, engine, playbooks, cli)"
  (cd "$REPO_DIR" && mvn -q -B -N install) >&2 || die "could not install the parent pom"
  for m in dsl tasks engine playbooks cli; do
    (cd "$REPO_DIR/$m" && mvn -q -B -DskipTests install) >&2 || die "could not build $m"
  done
  [[ -f $PROVISION_JAR ]] || die "$PROVISION_JAR missing after the build"
}

# provision-bench:SUITE from provision-debian:SUITE (testbed/images/build-images.sh builds that one).
ensure_bench_image() { # suite
  local suite=$1 packages="" image="provision-bench:$1" base="provision-debian:$1" want
  bash "$REPO_DIR/testbed/images/build-images.sh" "$suite" || die "testbed image $base could not be built"
  [[ $suite == bookworm ]] && packages=$FLEET_PACKAGES
  want=$( { docker image inspect --format '{{.Id}}' "$base"; cat "$BENCH_DIR/images/Dockerfile"; echo "$packages"; } | sha256sum | cut -c1-16)
  if [[ $(docker image inspect --format '{{ index .Config.Labels "dev.provision.bench.inputs" }}' "$image" 2>/dev/null) == "$want" ]]; then
    return
  fi
  log "building $image (python3 for Ansible${packages:+, packages: $packages})"
  DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=$base" --build-arg "PACKAGES=$packages" \
    --label "dev.provision.bench.inputs=$want" -t "$image" "$BENCH_DIR/images" >/dev/null \
    || die "docker build of $image failed"
}

cgroup_tree() {
  if [[ $(docker info --format '{{.CgroupVersion}}' 2>/dev/null) == 2 ]]; then echo /sys/fs/cgroup; else echo /sys/fs/cgroup/unified; fi
}

# Starts COUNT containers of provision-bench:SUITE named PREFIX-1..COUNT; waits for systemd and sshd.
# BENCH_DOCKER_ARGS: more docker run options (the Synapse part mounts a shared apt archive cache).
start_hosts() { # suite prefix count
  local suite=$1 prefix=$2 count=$3 i cg
  cg=$(cgroup_tree)
  allow_systemd_containers $((count + $(docker ps -q | wc -l)))
  for ((i = 1; i <= count; i++)); do
    docker run -d --name "$prefix-$i" --hostname "$prefix-$i" --label "$BENCH_LABEL=$prefix" \
      --cap-add ALL --cap-drop SYS_RESOURCE \
      --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
      --tmpfs /run:rw,exec,nosuid,nodev,size=256m,mode=755 --tmpfs /run/lock:rw,noexec,nosuid,nodev,size=8m \
      --cgroupns=host -v "$cg:/sys/fs/cgroup:rw" \
      -p 127.0.0.1::22 ${BENCH_DOCKER_ARGS:-} "provision-bench:$suite" >/dev/null || die "docker run $prefix-$i failed"
  done
  for ((i = 1; i <= count; i++)); do
    wait_ready "$prefix-$i"
  done
}

# Every systemd takes a few inotify instances, all charged to root on the host: Debian's default of 128
# ends at about 22 containers, whose systemd then exits at once (status 255) without a word.
allow_systemd_containers() { # containers
  local want=$(( $1 * 16 + 128 ))
  if (($(sysctl -n fs.inotify.max_user_instances) < want)); then
    sysctl -qw fs.inotify.max_user_instances="$want" \
      || die "$1 systemd containers need fs.inotify.max_user_instances >= $want (sysctl -w as root)"
  fi
}

wait_ready() { # container
  local c=$1 deadline=$((SECONDS + 300)) state port
  while ((SECONDS < deadline)); do
    [[ $(docker inspect -f '{{.State.Running}}' "$c") == true ]] \
      || die "$c stopped (exit $(docker inspect -f '{{.State.ExitCode}}' "$c")): docker logs $c"
    state=$(docker exec "$c" systemctl is-system-running 2>/dev/null || true)
    if [[ $state == running || $state == degraded ]]; then
      port=$(host_port "$c")
      if [[ -n $port ]] && timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port; head -c4 <&3" 2>/dev/null | grep -q SSH-; then
        return
      fi
    fi
    sleep 0.5
  done
  die "$c: systemd/sshd not ready after 300 s (is-system-running: $state)"
}

host_port() { docker port "$1" 22/tcp 2>/dev/null | head -n1 | sed 's/.*://'; }

remove_hosts() { # prefix
  local ids
  ids=$(docker ps -aq --filter "label=$BENCH_LABEL=$1")
  [[ -z $ids ]] || docker rm -f $ids >/dev/null
}

# known_hosts for PREFIX-1..COUNT (the image's host key on each published port).
write_known_hosts() { # prefix count file
  local prefix=$1 count=$2 file=$3 key i
  key=$(docker exec "$prefix-1" cat /etc/ssh/ssh_host_ed25519_key.pub | cut -d' ' -f1,2)
  : >"$file"
  for ((i = 1; i <= count; i++)); do
    echo "[127.0.0.1]:$(host_port "$prefix-$i") $key" >>"$file"
  done
}

# provision inventory: every host runs PLAYBOOK (a class compiled from the .java files beside the inventory).
write_provision_inventory() { # prefix count playbook known_hosts file [vars-yaml-line]
  local prefix=$1 count=$2 playbook=$3 kh=$4 file=$5 vars=${6:-} i
  {
    echo "all:"
    echo "  user: root"
    echo "  identity_file: $TEST_KEY"
    echo "  known_hosts: $kh"
    echo "  playbook: $playbook"
    [[ -z $vars ]] || echo "  vars: $vars"
    echo "  hosts:"
    for ((i = 1; i <= count; i++)); do
      echo "    $prefix-$i: { address: 127.0.0.1, port: $(host_port "$prefix-$i") }"
    done
  } >"$file"
}

write_ansible_inventory() { # prefix count file
  local prefix=$1 count=$2 file=$3 i
  {
    echo "[bench]"
    for ((i = 1; i <= count; i++)); do
      echo "$prefix-$i ansible_host=127.0.0.1 ansible_port=$(host_port "$prefix-$i")"
    done
  } >"$file"
}

# ansible.cfg: pipelining, ControlPersist, no fact gathering, one fork per host, the test key and known_hosts.
write_ansible_cfg() { # dir known_hosts forks
  local dir=$1 kh=$2 forks=$3
  cat >"$dir/ansible.cfg" <<CFG
[defaults]
inventory = $dir/hosts.ini
remote_user = root
private_key_file = $TEST_KEY
gathering = explicit
forks = $forks
interpreter_python = /usr/bin/python3
retry_files_enabled = False
stdout_callback = default
host_key_checking = True

[ssh_connection]
pipelining = True
control_path_dir = $dir/cp
ssh_args = -o ControlMaster=auto -o ControlPersist=600s -o UserKnownHostsFile=$kh -o StrictHostKeyChecking=yes
CFG
  mkdir -p "$dir/cp"
}

# The containers' cgroup v2 directories, one a line, for measure.py --cgroups (target-side CPU).
write_cgroups() { # prefix count file
  local prefix=$1 count=$2 file=$3 i id dir tree
  tree=$(cgroup_tree)
  : >"$file"
  for ((i = 1; i <= count; i++)); do
    id=$(docker inspect -f '{{.Id}}' "$prefix-$i")
    dir=$(find "$tree" -maxdepth 3 -type d \( -name "$id" -o -name "docker-$id.scope" \) -print -quit)
    [[ -n $dir ]] || die "no cgroup directory for $prefix-$i under $tree"
    echo "$dir" >>"$file"
  done
}

# What the machine is, for the record.
describe_machine() {
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "kernel: $(uname -r)"
  lscpu | grep -E '^(Architecture|CPU\(s\)|Model name|Thread|Core|Socket|CPU max MHz|Hypervisor vendor|Virtualization type)'
  free -m | sed -n 1,2p
  echo "load: $(cat /proc/loadavg)"
  echo "java: $(java -version 2>&1 | grep -v '^Picked up' | head -n1); provision's JVM options: $(grep -o '^opts=(.*)' "$PROVISION")"
  echo "ansible: $(ansible-playbook --version | head -n1), $(ansible-playbook --version | grep -o 'python version = [0-9.]*')"
  echo "openssh: $(ssh -V 2>&1)"
  echo "docker: $(docker version --format '{{.Server.Version}}')"
  echo "provision: $(git -C "$REPO_DIR" rev-parse --short HEAD)$(git -C "$REPO_DIR" diff --quiet HEAD -- engine tasks dsl cli || echo ' (with uncommitted changes)')"
}

# Waits until the 1-minute load is under LIMIT (other work on the machine skews every number), at most
# MAX seconds; says what it measured under either way.
await_quiet() { # limit max
  local limit=$1 max=$2 start=$SECONDS load
  while :; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    if awk -v l="$load" -v m="$limit" 'BEGIN { exit !(l < m) }'; then log "load $load"; return; fi
    if ((SECONDS - start >= max)); then log "load still $load after ${max}s; measuring anyway (it is recorded)"; return; fi
    sleep 10
  done
}

# How many measured Ansible runs at SIZE hosts: BENCH_ANSIBLE_RUNS ("SIZE:RUNS ...", e.g. "25:1 50:0") names
# exceptions to RUNS, for machines where 5 Ansible runs on 50 hosts would take hours.
ansible_runs_at() { # size
  local pair
  for pair in ${BENCH_ANSIBLE_RUNS:-}; do
    [[ ${pair%%:*} == "$1" ]] && { echo "${pair#*:}"; return; }
  done
  echo "$RUNS"
}

# Opens Ansible's ControlPersist master connections (what its first run would pay and later runs not).
open_ansible_connections() { # ansible-dir
  ANSIBLE_CONFIG="$1/ansible.cfg" ansible all -m ansible.builtin.ping
}

# --persist for provision's runs that keep their connections; why not Ansible's 600 s: bench/README.md.
PERSIST=7200

# The benchmark's own connection keeper, in a directory of its own (ConnectionKeeper's provision.keeperDir): a
# keeper this user runs for other work neither serves the measured runs nor is stopped by the benchmark.
# Every part's script sources this file again: they share the directory bench/run.sh chose.
if [[ -z ${BENCH_KEEPER_DIR:-} ]]; then
  export BENCH_KEEPER_DIR="$CACHE_DIR/bench-keeper-$$"
  export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:+$JAVA_TOOL_OPTIONS }-Dprovision.keeperDir=$BENCH_KEEPER_DIR"
fi
KEEPER_DIR=$BENCH_KEEPER_DIR

keeper_pid() { pgrep -f "ConnectionKeeper $KEEPER_DIR " | head -n1 || true; }

# The connection keeper's memory and CPU, for the record: it is not in a measured run's process tree (as
# Ansible's ControlPersist masters are not in its).
keeper_memory() {
  local pid
  pid=$(keeper_pid)
  if [[ -n $pid ]]; then
    echo "connection keeper pid $pid: RSS $(($(awk '/^VmRSS/ {print $2}' "/proc/$pid/status") / 1024)) MiB," \
      "peak $(($(awk '/^VmHWM/ {print $2}' "/proc/$pid/status") / 1024)) MiB, threads $(awk '/^Threads/ {print $2}' "/proc/$pid/status")," \
      "CPU since it started (its JVM start, the warm-up run's connects and every --persist run): $(awk -v hz="$(getconf CLK_TCK)" \
        '{sub(/.*\) /, ""); split($0, f, " "); printf "%.2f s", (f[12] + f[13]) / hz}' "/proc/$pid/stat")"
  else
    echo "no connection keeper running"
  fi
}

# Ends the benchmark's keeper (its connections lead to containers about to go).
stop_keeper() {
  local pid
  pid=$(keeper_pid)
  [[ -z $pid ]] || kill "$pid" || true
}

recap_changed() { # ansible or provision log -> the sum of changed= over its recap lines
  grep -oE 'changed=[0-9]+' "$1" | awk -F= '{s += $2} END {print s + 0}'
}

# The cross-check and the comparison of two dumps, into DIR/summary.txt.
equivalence_summary() { # dir provision-on-ansible-host.log ansible-on-provision-host.log state-provision state-ansible
  local dir=$1
  {
    echo "provision on the host Ansible converged: changed=$(recap_changed "$2")"
    echo "Ansible on the host provision converged: changed=$(recap_changed "$3")"
    echo "host dumps: $(wc -l <"$4") lines each; differences (provision's host <, Ansible's host >):"
    diff "$4" "$5" || true
  } >"$dir/summary.txt"
  cat "$dir/summary.txt" >&2
}

# ShellSession as it was at REV (the protocol before the one-process-per-command change), compiled against
# the jar, for putting first on the classpath: java -cp DIR:provision.jar dev.provision.cli.Main ...
old_shell_classes() { # rev dir
  local rev=$1 dir=$2
  rm -rf "$dir" && mkdir -p "$dir/src"
  git -C "$REPO_DIR" show "$rev:engine/src/main/java/dev/provision/engine/connect/ShellSession.java" >"$dir/src/ShellSession.java"
  javac -nowarn -d "$dir" -cp "$PROVISION_JAR" "$dir/src/ShellSession.java" || die "could not compile ShellSession at $rev"
}
OLD_SHELL_REV=d10d412

# The no-change run with ShellSession as it was before the one-process-per-command protocol
# (OLD_SHELL_REV, first on the classpath) against the current jar, alternating: that optimisation in situ.
old_shell_in_situ() { # work-dir inventory-dir scenario out-dir runs
  local work=$1 dir=$2 scenario=$3 out=$4 runs=$5 r tool cp
  old_shell_classes "$OLD_SHELL_REV" "$work/old-shell"
  await_quiet 1.5 "${BENCH_QUIET_WAIT:-900}"
  for ((r = 1; r <= runs; r++)); do
    for tool in provision-old-shell provision; do
      cp="$PROVISION_JAR"
      [[ $tool == provision-old-shell ]] && cp="$work/old-shell:$PROVISION_JAR"
      (cd "$dir" && python3 "$BENCH_DIR/lib/measure.py" "$out/shell-in-situ.jsonl" --cgroups "$dir/cgroups" scenario="$scenario" hosts=1 run="$r" tool="$tool" -- \
        java -cp "$cp" dev.provision.cli.Main apply -i inventory.yaml all) || die "$tool run $r failed"
    done
  done
}

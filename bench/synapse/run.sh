#!/usr/bin/env bash
# The Synapse benchmark: SynapseServer (provision) against bench/synapse/site.yml (Ansible) on sid containers.
#
#   bench/synapse/run.sh OUT_DIR RUNS [PARTS]
#
# Host variables (both tools get the same model): server_name bench.local, package_source debian, and
# redis_client install with txredisapi_source BENCH_TXREDISAPI (default ~/.cache/provision/txredisapi, a
# txredisapi checkout; see shared/reference/test-environment.md) so that main and all 17 workers run; without
# a checkout, redis_client stage_workers (workers configured and enabled, waiting for the client).
#
# PARTS (default "first nochange oldshell equivalence"):
#   first        RUNS rounds; each starts two fresh sid containers and converges one with each tool, the order
#                swapped every round (first runs, measured; BENCH_FIRST_RUNS rounds when set). The .deb files come from one apt archive cache
#                shared by all containers, filled beforehand by an unmeasured download, so the runs measure
#                apt, dpkg and the tools, not the mirror; each first run still updates its own package lists.
#                The last round's two hosts are kept.
#   nochange     on those two hosts: one unmeasured no-change run of each tool (each must change nothing), then
#                RUNS rounds of one measured no-change run each, order swapped every round; then one -vv
#                provision run and one -vvv Ansible run to count remote commands.
#   oldshell     the no-change run with ShellSession as it was before the one-process-per-command protocol,
#                alternating with the current one; then the target CPU of each fact command by kind.
#   equivalence  each tool against the host the other converged (must change nothing), and the two hosts'
#                dumps compared (secret files, and the signing key the package generates, by owner and mode
#                only: their values are random per host).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
OUT=$1
RUNS=$2
PARTS=${3:-first nochange oldshell equivalence}
W="$OUT/synapse"
mkdir -p "$W"
MEASURE="$BENCH_DIR/lib/measure.py"
TXREDISAPI=${BENCH_TXREDISAPI:-$CACHE_DIR/txredisapi}
VARS=(server_name=bench.local package_source=debian)
if [[ -f $TXREDISAPI/txredisapi.py ]]; then
  VARS+=(redis_client=install "txredisapi_source=$TXREDISAPI")
else
  log "no txredisapi checkout at $TXREDISAPI: redis_client stage_workers (the workers wait for the client)"
  VARS+=(redis_client=stage_workers)
fi
APT_CACHE="$CACHE_DIR/bench-apt-archives-sid"
export BENCH_DOCKER_ARGS="-v $APT_CACHE:/var/cache/apt/archives"
PLAYBOOK=dev.provision.playbooks.synapse.SynapseServer

vars_yaml() {
  local v out="{ "
  for v in "${VARS[@]}"; do out+="${v%%=*}: ${v#*=}, "; done
  echo "${out%, } }"
}

# A work dir for one host: the provision inventory and the Ansible config and inventory, both naming it
# bench-synapse.
setup_dir() { # dir container-prefix known_hosts
  local dir=$1 prefix=$2 kh=$3
  mkdir -p "$dir"
  write_provision_inventory "$prefix" 1 "$PLAYBOOK" "$kh" "$dir/inventory.yaml" "$(vars_yaml)"
  write_ansible_inventory "$prefix" 1 "$dir/hosts.ini"
  write_ansible_cfg "$dir" "$kh" 1
  sed -i "s/^    $prefix-1:/    bench-synapse:/" "$dir/inventory.yaml"
  sed -i "s/^$prefix-1 /bench-synapse /" "$dir/hosts.ini"
}

provision_cmd() { echo "$PROVISION" apply -i inventory.yaml all; }
ansible_cmd() { echo env ANSIBLE_CONFIG="$1/ansible.cfg" ansible-playbook "$BENCH_DIR/synapse/site.yml" -e "model_dir=$W/model"; }

model() {
  rm -rf "$W/model"
  java -cp "$PROVISION_JAR" "$BENCH_DIR/synapse/DumpModel.java" "$W/model" "${VARS[@]}" || die "could not dump the Synapse model"
}

fill_apt_cache() {
  mkdir -p "$APT_CACHE"
  log "filling the shared apt archive cache (unmeasured)"
  remove_hosts bench-aptfill
  start_hosts sid bench-aptfill 1
  docker exec bench-aptfill-1 sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --download-only redis-server postgresql nginx matrix-synapse python3-six python3-hiredis' \
    >"$W/apt-fill.log" 2>&1 \
    || die "could not fill the apt cache: $W/apt-fill.log"
  remove_hosts bench-aptfill
}

first() {
  fill_apt_cache
  for ((r = 1; r <= ${BENCH_FIRST_RUNS:-$RUNS}; r++)); do
    remove_hosts bench-synp; remove_hosts bench-syna
    start_hosts sid bench-synp 1
    start_hosts sid bench-syna 1
    write_known_hosts bench-synp 1 "$W/kh-p"; write_known_hosts bench-syna 1 "$W/kh-a"
    cat "$W/kh-p" "$W/kh-a" >"$W/known_hosts"
    setup_dir "$W/p" bench-synp "$W/known_hosts"
    setup_dir "$W/a" bench-syna "$W/known_hosts"
    write_cgroups bench-synp 1 "$W/p/cgroups"; write_cgroups bench-syna 1 "$W/a/cgroups"
    await_quiet 1.5 "${BENCH_QUIET_WAIT:-900}"
    local order="provision ansible"
    ((r % 2 == 0)) && order="ansible provision"
    for tool in $order; do
      if [[ $tool == provision ]]; then
        (cd "$W/p" && python3 "$MEASURE" "$OUT/synapse.jsonl" --cgroups "$W/p/cgroups" scenario=synapse phase=first tool=provision hosts=1 run="$r" -- \
          $(provision_cmd) --json "$W/p/first-$r.json") || die "provision's first run $r failed: $W/p"
        python3 "$BENCH_DIR/lib/phases.py" "$OUT/provision-phases.jsonl" "$W/p/first-$r.json" scenario=synapse phase=first hosts=1 run="$r"
      else
        python3 "$MEASURE" "$OUT/synapse.jsonl" --cgroups "$W/a/cgroups" scenario=synapse phase=first tool=ansible hosts=1 run="$r" -- \
          $(ansible_cmd "$W/a") || die "Ansible's first run $r failed"
      fi
    done
  done
}

nochange() {
  local tool r
  log "no-change: warm-up (unmeasured): a provision run, one with --persist (opens the keeper's connection), Ansible's ControlPersist connection opened"
  (cd "$W/p" && $(provision_cmd) >"$W/warmup-provision.log" 2>&1) || die "provision warm-up failed: $W/warmup-provision.log"
  (cd "$W/p" && $(provision_cmd) --persist "$PERSIST" >"$W/warmup-provision-persist.log" 2>&1) \
    || die "provision --persist warm-up failed: $W/warmup-provision-persist.log"
  open_ansible_connections "$W/a" >"$W/warmup-ansible.log" 2>&1 || die "Ansible could not reach the host: $W/warmup-ansible.log"
  [[ $(recap_changed "$W/warmup-provision.log") == 0 ]] || log "WARNING: provision's second run changed something: $W/warmup-provision.log"
  await_quiet 1.5 "${BENCH_QUIET_WAIT:-900}"
  for ((r = 1; r <= RUNS; r++)); do
    local order="provision provision-persist ansible"
    ((r % 2 == 0)) && order="ansible provision-persist provision"
    for tool in $order; do
      if [[ $tool == ansible ]]; then
        python3 "$MEASURE" "$OUT/synapse.jsonl" --cgroups "$W/a/cgroups" scenario=synapse phase=no-change tool=ansible hosts=1 run="$r" -- \
          $(ansible_cmd "$W/a") || die "Ansible's no-change run $r failed"
        [[ $(recap_changed "$OUT/synapse.synapse-no-change-ansible-1-$r.stdout") == 0 ]] || die "Ansible changed something in no-change run $r"
      else
        local persist=()
        [[ $tool == provision ]] || persist=(--persist "$PERSIST")
        (cd "$W/p" && python3 "$MEASURE" "$OUT/synapse.jsonl" --cgroups "$W/p/cgroups" scenario=synapse phase=no-change tool="$tool" hosts=1 run="$r" -- \
          $(provision_cmd) "${persist[@]}" --json "$W/p/nochange-$tool-$r.json") || die "$tool's no-change run $r failed"
        [[ $(recap_changed "$OUT/synapse.synapse-no-change-$tool-1-$r.stdout") == 0 ]] || die "$tool changed something in no-change run $r"
        python3 "$BENCH_DIR/lib/phases.py" "$OUT/provision-phases.jsonl" "$W/p/nochange-$tool-$r.json" scenario=synapse phase=no-change \
          variant="$tool" hosts=1 run="$r"
      fi
    done
  done
  keeper_memory >"$W/keeper-memory.txt"
  stop_keeper
  log "counting remote commands (unmeasured runs: provision -vv, Ansible -vvv)"
  (cd "$W/p" && $(provision_cmd) -vv --json "$W/p/count.json" >"$W/count-provision.log" 2>&1) || true
  $(ansible_cmd "$W/a") -vvv >"$W/count-ansible.log" 2>&1 || true
  {
    echo "provision commands per host, no-change run: $(grep -cE '\$ \[(exit [0-9]+|at close)\]' "$W/count-provision.log")"
    echo "provision round trips, no-change run: $(python3 -c "import json,sys; print([h['roundTrips'] for h in json.load(open(sys.argv[1]))['hosts']])" "$W/p/count.json")"
    echo "provision round trips, first runs: $(for f in "$W"/p/first-*.json; do python3 -c "import json,sys; print([h['roundTrips'] for h in json.load(open(sys.argv[1]))['hosts']][0], end=' ')" "$f"; done)"
    echo "ansible remote commands (SSH EXEC), no-change run: $(grep -c 'SSH: EXEC' "$W/count-ansible.log")"
  } | tee "$W/commands.txt" >&2
}

# The no-change run with the old ShellSession protocol (lib/common.sh), then the target CPU of each fact
# command (analysis/fact_cost.py).
oldshell() {
  old_shell_in_situ "$W" "$W/p" synapse-shell "$OUT" "$RUNS"
  python3 "$BENCH_DIR/analysis/fact_cost.py" bench-synp-1 "$(cat "$W/p/cgroups")" "$W/count-provision.log" >"$W/fact-cost.txt" 2>&1 || true
}

equivalence() {
  local e="$W/equivalence" roots="/etc/matrix-synapse /etc/nginx /etc/redis /etc/systemd/system /etc/postgresql /usr/lib/python3/dist-packages/txredisapi.py /usr/lib/python3/dist-packages/txredisapi-1.4.11.dist-info /etc/group /etc/passwd"
  mkdir -p "$e"
  setup_dir "$e/pa" bench-syna "$W/known_hosts"   # provision on the host Ansible converged
  setup_dir "$e/ap" bench-synp "$W/known_hosts"   # Ansible on the host provision converged
  (cd "$e/pa" && $(provision_cmd) >"$e/provision-on-ansible-host.log" 2>&1) || true
  $(ansible_cmd "$e/ap") --diff >"$e/ansible-on-provision-host.log" 2>&1 || true
  for c in bench-synp bench-syna; do
    docker exec -i "$c-1" sh -s $roots <"$BENCH_DIR/lib/host-state.sh" \
      | awk '$1 ~ /^\/etc\/matrix-synapse\/(secrets\/|homeserver\.signing\.key)/ { $NF = "(secret)" } { print }' >"$e/state-$c.txt"
    docker exec "$c-1" sh -c "cd / && runuser -u postgres -- psql -X -qAt -c \"select 'database', datname, pg_get_userbyid(datdba), pg_encoding_to_char(encoding), datcollate from pg_database order by 2\" -c \"select 'role', rolname, rolcanlogin from pg_roles where rolname !~ '^pg_' order by 2\" -c 'show max_connections'" >>"$e/state-$c.txt"
  done
  equivalence_summary "$e" "$e/provision-on-ansible-host.log" "$e/ansible-on-provision-host.log" \
    "$e/state-bench-synp.txt" "$e/state-bench-syna.txt"
}

model
for part in $PARTS; do
  "$part"
done
# Whatever the parts, the hosts go: Synapse's processes on them would load the parts measured after this one.
remove_hosts bench-synp; remove_hosts bench-syna

#!/usr/bin/env bash
# The plain benchmark: bench/plain/PlainSite.java (provision) against bench/plain/site.yml (Ansible), 20 tasks
# on one bookworm container, no-change runs; and each tool's start alone (provision --version against
# ansible-playbook --version). Everything measured here is provision's fixed cost: JVM start, one SSH
# handshake, one fact batch.
#
#   bench/plain/run.sh OUT_DIR RUNS
#
# One container, converged by provision; Ansible then runs once unmeasured against it and must change
# nothing (the two playbooks describe the same state). Warm-up (unmeasured): a provision run (it compiles
# PlainSite.java into its cache and writes the launcher's class-data archive after a build) and an Ansible
# ping that opens its ControlPersist master. Then RUNS rounds, one measured run of each tool and kind a round,
# the order reversed every other round; every no-change run must report changed=0. provision connects
# afresh in every run (no --persist): this is the run an operator or a CI job makes. Then RUNS unmeasured runs
# of each with the JVM's class-load log say where provision's time goes (plain/phases.md), and one -vv
# provision run and one -vvv Ansible run count the remote commands.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
OUT=$1
RUNS=$2
W="$OUT/plain"
mkdir -p "$W"
MEASURE="$BENCH_DIR/lib/measure.py"
PREFIX=bench-plain

remove_hosts "$PREFIX"
start_hosts bookworm "$PREFIX" 1
trap 'remove_hosts "$PREFIX"' EXIT
write_known_hosts "$PREFIX" 1 "$W/known_hosts"
cp "$BENCH_DIR/plain/PlainSite.java" "$W/"
write_provision_inventory "$PREFIX" 1 PlainSite "$W/known_hosts" "$W/inventory.yaml" "{ fleet_dir: $BENCH_DIR/fleet }"
write_ansible_inventory "$PREFIX" 1 "$W/hosts.ini"
write_ansible_cfg "$W" "$W/known_hosts" 1
write_cgroups "$PREFIX" 1 "$W/cgroups"

provision_apply() { (cd "$W" && "$PROVISION" apply -i inventory.yaml all "$@"); }
ansible_play() { ANSIBLE_CONFIG="$W/ansible.cfg" ansible-playbook "$BENCH_DIR/plain/site.yml" "$@"; }

log "plain: provision converges $PREFIX-1; Ansible must then change nothing"
provision_apply >"$W/converge.log" 2>&1 || die "provision's first run failed: $W/converge.log"
ansible_play >"$W/ansible-on-provision-host.log" 2>&1 || die "Ansible's run failed: $W/ansible-on-provision-host.log"
[[ $(recap_changed "$W/ansible-on-provision-host.log") == 0 ]] \
  || die "Ansible changed the host provision converged: $W/ansible-on-provision-host.log"
log "plain: warm-up (unmeasured)"
provision_apply >"$W/warmup-provision.log" 2>&1 || die "provision warm-up failed: $W/warmup-provision.log"
open_ansible_connections "$W" >"$W/warmup-ansible.log" 2>&1 || die "Ansible could not reach the host: $W/warmup-ansible.log"

measured() { # scenario tool round command...
  local scenario=$1 tool=$2 r=$3; shift 3
  (cd "$W" && python3 "$MEASURE" "$OUT/plain.jsonl" --cgroups "$W/cgroups" scenario="$scenario" tool="$tool" hosts=1 run="$r" -- "$@") \
    || die "$scenario $tool run $r failed"
}

await_quiet 1.5 "${BENCH_QUIET_WAIT:-900}"
for ((r = 1; r <= RUNS; r++)); do
  order="provision ansible provision-version ansible-version"
  ((r % 2 == 0)) && order="ansible-version provision-version ansible provision"
  for kind in $order; do
    case $kind in
      provision)
        measured plain provision "$r" "$PROVISION" apply -i inventory.yaml all --json "$W/provision-$r.json"
        [[ $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['changed'])" "$W/provision-$r.json") == 0 ]] \
          || die "provision changed something in a no-change run: $W/provision-$r.json"
        python3 "$BENCH_DIR/lib/phases.py" "$OUT/provision-phases.jsonl" "$W/provision-$r.json" scenario=plain variant=provision hosts=1 run="$r" ;;
      ansible)
        measured plain ansible "$r" env ANSIBLE_CONFIG="$W/ansible.cfg" ansible-playbook "$BENCH_DIR/plain/site.yml"
        [[ $(recap_changed "$OUT/plain.plain-ansible-1-$r.stdout") == 0 ]] \
          || die "Ansible changed something in a no-change run: $OUT/plain.plain-ansible-1-$r.stdout" ;;
      provision-version) measured version provision "$r" "$PROVISION" --version ;;
      ansible-version) measured version ansible "$r" ansible-playbook --version ;;
    esac
  done
done

log "plain: where the time goes (unmeasured runs with the JVM's class-load log: analysis/startup_phases.py)"
for ((r = 1; r <= RUNS; r++)); do
  JAVA_TOOL_OPTIONS="$JAVA_TOOL_OPTIONS -Xlog:class+load:file=$W/class-load-apply-$r.txt" provision_apply >/dev/null 2>&1
  JAVA_TOOL_OPTIONS="$JAVA_TOOL_OPTIONS -Xlog:class+load:file=$W/class-load-version-$r.txt" "$PROVISION" --version >/dev/null 2>&1
done
{
  echo "apply:"; python3 "$BENCH_DIR/analysis/startup_phases.py" "$W"/class-load-apply-*.txt
  echo; echo "--version:"; python3 "$BENCH_DIR/analysis/startup_phases.py" "$W"/class-load-version-*.txt
} >"$W/phases.md"

log "plain: counting remote commands (unmeasured runs: provision -vv, Ansible -vvv)"
provision_apply -vv --json "$W/count.json" >"$W/count-provision.log" 2>&1
ansible_play -vvv >"$W/count-ansible.log" 2>&1
{
  echo "provision commands: $(grep -cE '\$ \[(exit [0-9]+|at close)\]' "$W/count-provision.log")," \
    "round trips: $(python3 -c "import json,sys; print(sorted({h['roundTrips'] for h in json.load(open(sys.argv[1]))['hosts']}))" "$W/count.json")"
  echo "ansible remote commands (SSH EXEC): $(grep -c 'SSH: EXEC' "$W/count-ansible.log")"
} | tee "$W/commands.txt" >&2

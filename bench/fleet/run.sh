#!/usr/bin/env bash
# The fleet benchmark: bench/fleet/Fleet.java (provision) against bench/fleet/site.yml (Ansible) on N bookworm
# containers, no-change runs, side by side.
#
#   bench/fleet/run.sh OUT_DIR RUNS "SIZES" [PARTS]   e.g. bench/fleet/run.sh bench/results/x 5 "1 10 25 50"
#
# PARTS: "equivalence sizes" (the default) or either one. BENCH_QUIET_WAIT (default 900) is how long a
# measured phase waits for the 1-minute load to fall under 1.5 first.
#
# 1. Equivalence: two fresh hosts, one converged by each tool (both named bench-eq in their inventories, so
#    templates render alike); then each tool runs against the host the other converged (it must change
#    nothing), and a dump of both hosts (paths with owner, mode and SHA-256; enabled units; active services;
#    groups and members; users; packages) is compared.
# 2. The largest SIZE of containers is started once and converged by provision; for each SIZE, the first
#    SIZE hosts: one unmeasured provision run (it compiles Fleet.java into its cache) and an Ansible ping that
#    opens the ControlPersist masters, then RUNS rounds of one measured no-change run each, the order swapped
#    every round (Ansible only in its first BENCH_ANSIBLE_RUNS rounds at that size, see bench/run.sh); every
#    measured run must report changed=0. provision runs twice a round: as is (a fresh SSH connection per host
#    and run) and with --persist, whose connection keeper holds them between runs as Ansible's ControlPersist
#    holds its own; the keeper's memory is recorded apart (it is not in the measured process tree). Then one -vv provision run (and at the smallest size one -vvv
#    Ansible run, limited to one host: its count per host does not depend on N) to count remote commands per host.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
OUT=$1
RUNS=$2
SIZES=$3
PARTS=${4:-equivalence sizes}
MAX=$(tr ' ' '\n' <<<"$SIZES" | sort -n | tail -n1)
MIN=$(tr ' ' '\n' <<<"$SIZES" | sort -n | head -n1)
W="$OUT/fleet"
mkdir -p "$W"
MEASURE="$BENCH_DIR/lib/measure.py"
FLEET_VARS="{ fleet_dir: $BENCH_DIR/fleet }"

provision_apply() { # inventory-dir [args...]
  local dir=$1; shift
  (cd "$dir" && "$PROVISION" apply -i inventory.yaml "$@")
}

ansible_play() { # ansible-dir [args...]
  local dir=$1; shift
  ANSIBLE_CONFIG="$dir/ansible.cfg" ansible-playbook "$BENCH_DIR/fleet/site.yml" "$@"
}

# A work dir with the provision inventory (and Fleet.java beside it) and the Ansible config and inventory.
setup_dir() { # dir prefix count known_hosts [name-override]
  local dir=$1 prefix=$2 count=$3 kh=$4
  mkdir -p "$dir"
  cp "$BENCH_DIR/fleet/Fleet.java" "$dir/"
  write_provision_inventory "$prefix" "$count" Fleet "$kh" "$dir/inventory.yaml" "$FLEET_VARS"
  write_ansible_inventory "$prefix" "$count" "$dir/hosts.ini"
  write_ansible_cfg "$dir" "$kh" "$count"
  if [[ -n ${5:-} ]]; then # one host, renamed
    sed -i "s/^    $prefix-1:/    $5:/" "$dir/inventory.yaml"
    sed -i "s/^$prefix-1 /$5 /" "$dir/hosts.ini"
  fi
}

# --- 1. equivalence ---------------------------------------------------------------------------------------
equivalence() {
  local e="$W/equivalence" roots="/etc /srv /opt /var/lib/app /var/lib/metrics /home"
  mkdir -p "$e"
  remove_hosts bench-eqp; remove_hosts bench-eqa
  start_hosts bookworm bench-eqp 1
  start_hosts bookworm bench-eqa 1
  write_known_hosts bench-eqp 1 "$e/kh-p"; write_known_hosts bench-eqa 1 "$e/kh-a"
  cat "$e/kh-a" >>"$e/kh-p"; cp "$e/kh-p" "$e/known_hosts"
  setup_dir "$e/p" bench-eqp 1 "$e/known_hosts" bench-eq
  setup_dir "$e/a" bench-eqa 1 "$e/known_hosts" bench-eq
  log "equivalence: provision converges bench-eqp, Ansible converges bench-eqa"
  provision_apply "$e/p" all >"$e/provision-first.log" 2>&1 || die "provision's first run failed: $e/provision-first.log"
  ansible_play "$e/a" >"$e/ansible-first.log" 2>&1 || die "Ansible's first run failed: $e/ansible-first.log"
  log "equivalence: each tool against the host the other converged"
  setup_dir "$e/pa" bench-eqa 1 "$e/known_hosts" bench-eq   # provision on Ansible's host
  setup_dir "$e/ap" bench-eqp 1 "$e/known_hosts" bench-eq   # Ansible on provision's host
  provision_apply "$e/pa" all >"$e/provision-on-ansible-host.log" 2>&1 || true
  ansible_play "$e/ap" --diff >"$e/ansible-on-provision-host.log" 2>&1 || true
  for c in bench-eqp bench-eqa; do
    docker exec -i "$c-1" sh -s $roots <"$BENCH_DIR/lib/host-state.sh" >"$e/state-$c.txt"
  done
  equivalence_summary "$e" "$e/provision-on-ansible-host.log" "$e/ansible-on-provision-host.log" \
    "$e/state-bench-eqp.txt" "$e/state-bench-eqa.txt"
  remove_hosts bench-eqp; remove_hosts bench-eqa
}

# --- 2. no-change runs at each size -----------------------------------------------------------------------
sizes() {
  remove_hosts bench-fleet
  log "starting $MAX bookworm containers"
  start_hosts bookworm bench-fleet "$MAX"
  write_known_hosts bench-fleet "$MAX" "$W/known_hosts"
  setup_dir "$W/converge" bench-fleet "$MAX" "$W/known_hosts"
  log "provision converges all $MAX"
  provision_apply "$W/converge" all -f "$MAX" >"$W/converge.log" 2>&1 || die "converging failed: $W/converge.log"
  for n in $SIZES; do
    local d="$W/n$n"
    setup_dir "$d" bench-fleet "$n" "$W/known_hosts"
    write_cgroups bench-fleet "$n" "$d/cgroups"
    local ansible_runs
    ansible_runs=$(ansible_runs_at "$n")
    log "N=$n: warm-up (unmeasured): a no-change provision run, one with --persist (opens the keeper's connections), Ansible's ControlPersist connections opened"
    provision_apply "$d" all -f "$n" >"$d/warmup-provision.log" 2>&1 || die "provision warm-up failed: $d/warmup-provision.log"
    provision_apply "$d" all -f "$n" --persist "$PERSIST" >"$d/warmup-provision-persist.log" 2>&1 \
      || die "provision --persist warm-up failed: $d/warmup-provision-persist.log"
    ((ansible_runs == 0)) || open_ansible_connections "$d" >"$d/warmup-ansible.log" 2>&1 || die "Ansible could not reach the hosts: $d/warmup-ansible.log"
    await_quiet 1.5 "${BENCH_QUIET_WAIT:-900}"
    for ((r = 1; r <= RUNS; r++)); do
      local order="provision provision-persist ansible"
      ((r % 2 == 0)) && order="ansible provision-persist provision"
      ((r <= ansible_runs)) || order=${order/ansible/}
      for tool in $order; do
        case $tool in
          provision) measured_provision "$d" "$n" "$r" provision ;;
          provision-persist) measured_provision "$d" "$n" "$r" provision-persist --persist "$PERSIST" ;;
          ansible)
            python3 "$MEASURE" "$OUT/fleet.jsonl" --cgroups "$d/cgroups" scenario=fleet tool=ansible hosts="$n" run="$r" -- \
              env ANSIBLE_CONFIG="$d/ansible.cfg" ansible-playbook "$BENCH_DIR/fleet/site.yml" || die "Ansible run $r failed (N=$n)"
            [[ $(recap_changed "$OUT/fleet.fleet-ansible-$n-$r.stdout") == 0 ]] \
              || die "Ansible changed something on hosts provision converged: $OUT/fleet.fleet-ansible-$n-$r.stdout" ;;
        esac
      done
    done
    keeper_memory >"$d/keeper-memory.txt"
    log "N=$n: counting remote commands (unmeasured runs: provision -vv; Ansible -vvv on one host at the smallest size only, its count per host does not depend on N)"
    provision_apply "$d" all -f "$n" -vv --json "$d/count.json" >"$d/count-provision.log" 2>&1
    if [[ $n == "$MIN" ]]; then ansible_play "$d" -vvv --limit bench-fleet-1 >"$d/count-ansible.log" 2>&1; else : >"$d/count-ansible.log"; fi
    count_commands "$d" "$n"
    if ((n == 1)); then
      old_shell_in_situ "$W" "$d" fleet-shell "$OUT" "$RUNS"
      log "N=1: target CPU of each fact command (analysis/fact_cost.py)"
      python3 "$BENCH_DIR/analysis/fact_cost.py" bench-fleet-1 "$(head -n1 "$d/cgroups")" "$d/count-provision.log" \
        >"$W/fact-cost.txt" 2>&1 || true
    fi
  done
  stop_keeper
  remove_hosts bench-fleet
}

# One measured no-change provision run, which must change nothing; its phases from the JSON report.
measured_provision() { # dir n round tool [args...]
  local d=$1 n=$2 r=$3 tool=$4; shift 4
  (cd "$d" && python3 "$MEASURE" "$OUT/fleet.jsonl" --cgroups "$d/cgroups" scenario=fleet tool="$tool" hosts="$n" run="$r" -- \
    "$PROVISION" apply -i inventory.yaml all -f "$n" --json "$d/$tool-$r.json" "$@") \
    || die "$tool run $r failed (N=$n)"
  [[ $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['changed'])" "$d/$tool-$r.json") == 0 ]] \
    || die "$tool changed something in a no-change run: $d/$tool-$r.json"
  python3 "$BENCH_DIR/lib/phases.py" "$OUT/provision-phases.jsonl" "$d/$tool-$r.json" scenario=fleet variant="$tool" hosts="$n" run="$r"
}

# Remote commands per host: provision's -vv lines "[exit N]" (one per command in a batch) and "[at close]",
# and its round trips from the JSON report; Ansible's "SSH: EXEC" lines (one ssh client process, one remote
# command over the ControlMaster connection, each awaited before the next) counted per port.
count_commands() { # dir n
  local d=$1 n=$2
  {
    echo "provision commands per host: $(grep -E '\$ \[(exit [0-9]+|at close)\]' "$d/count-provision.log" | awk '{print ($2 == "|") ? $1 : "the-host"}' | sort | uniq -c | awk '{print $1}' | sort -n | uniq -c | awk '{printf "%s host(s): %s; ", $1, $2}')"
    echo "provision round trips per host: $(python3 -c "import json,sys; print(sorted({h['roundTrips'] for h in json.load(open(sys.argv[1]))['hosts']}))" "$d/count.json")"
    echo "ansible remote commands (SSH EXEC) per host: $(grep 'SSH: EXEC' "$d/count-ansible.log" | grep -oE "Port=[0-9]+" | sort | uniq -c | awk '{print $1}' | sort -n | uniq -c | awk '{printf "%s host(s): %s; ", $1, $2}')"
  } | tee "$d/commands.txt" >&2
}

for part in $PARTS; do
  "$part"
done

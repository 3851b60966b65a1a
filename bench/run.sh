#!/usr/bin/env bash
# provision against Ansible, side by side, on throwaway Debian containers: the one command of the benchmark.
#
#   bench/run.sh [--runs N] [--sizes "1 10 25 50"] [--parts "plain shell fleet synapse"] [--out DIR]
#
# --runs N: measured rounds per tool and size (default 5), each tool once a round, alternating.
# Parts (see bench/README.md):
#   plain    bench/plain: a 20-task user playbook in both tools on one bookworm container, no-change runs, and
#            each tool's start alone (provision --version, ansible-playbook --version)
#   shell    ShellSession's per-command cost, the old protocol against the new (local and over SSH)
#   fleet    bench/fleet: a 50-resource playbook in both tools; equivalence of the converged hosts, then
#            no-change runs on 1, 10, 25 and 50 bookworm containers
#   synapse  bench/synapse: the Synapse playbook against its Ansible counterpart on one sid container, first
#            run and no-change runs; equivalence of the converged hosts
# BENCH_ANSIBLE_RUNS="25:1 50:0" measures Ansible fewer times at those fleet sizes (0: not at all), and
# BENCH_FIRST_RUNS=3 runs fewer Synapse first-run rounds, where the machine's time is short: on 2 cores one
# Ansible no-change run costs about 33 s of CPU per host. The defaults measure everything RUNS times.
# BENCH_FLEET_PARTS and BENCH_SYNAPSE_PARTS pick the steps of those parts (see bench/fleet/run.sh and
# bench/synapse/run.sh; by default all of them).
# Results go to bench/results/<UTC time>-<commit>/ (ignored by git): machine.txt, *.jsonl (one line per measured run),
# summary.md (medians, spread, ratios), and each part's logs. Every measured phase first waits (up to
# BENCH_QUIET_WAIT seconds, default 900) for the 1-minute load to fall under 1.5, and records the load.
# Needs: root on a Debian 12 machine prepared by `bash .ci/setup` (Docker engine, JDK 17, Maven, test images);
# installs Debian's ansible-core if missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

RUNS=5
SIZES="1 10 25 50"
PARTS="plain shell fleet synapse"
# named by date and commit, so a result folder says what it measured
OUT="$BENCH_DIR/results/$(date -u +%Y%m%dT%H%M%SZ)-$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)"
while (($#)); do
  case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --sizes) SIZES=$2; shift 2 ;;
    --parts) PARTS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
((RUNS >= 1)) || die "--runs must be at least 1"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
require_tools
ensure_provision_jar
ensure_bench_image bookworm
[[ " $PARTS " == *" synapse "* ]] && ensure_bench_image sid
describe_machine >"$OUT/machine.txt"
log "results in $OUT"

for part in $PARTS; do
  case $part in
    plain) "$BENCH_DIR/plain/run.sh" "$OUT" "$RUNS" ;;
    shell) "$BENCH_DIR/shell-session/run.sh" "$OUT/shell-session" 15 100 ;;
    fleet) "$BENCH_DIR/fleet/run.sh" "$OUT" "$RUNS" "$SIZES" ${BENCH_FLEET_PARTS:+"$BENCH_FLEET_PARTS"} ;;
    synapse) "$BENCH_DIR/synapse/run.sh" "$OUT" "$RUNS" ${BENCH_SYNAPSE_PARTS:+"$BENCH_SYNAPSE_PARTS"} ;;
    *) die "unknown part $part" ;;
  esac
done

{
  echo "# Results $(basename "$OUT")"
  echo
  echo '```'
  cat "$OUT/machine.txt"
  echo '```'
  echo
  shopt -s nullglob
  jsonl=("$OUT"/*.jsonl)
  ((${#jsonl[@]})) && python3 "$BENCH_DIR/lib/summarize.py" "${jsonl[@]}"
  for f in "$OUT"/plain/commands.txt "$OUT"/fleet/n*/commands.txt "$OUT"/synapse/commands*.txt; do
    echo; echo "$f:"; sed 's/^/    /' "$f"
  done
  for f in "$OUT"/{fleet,synapse}/equivalence/summary.txt; do # the parts' equivalence steps that ran
    [[ -f $f ]] || continue
    echo; echo "$f:"; head -n 40 "$f" | sed 's/^/    /'
  done
  [[ -f $OUT/plain/phases.md ]] && { echo; echo "plain/phases.md, where provision's time goes:"; echo; cat "$OUT/plain/phases.md"; }
  [[ -f $OUT/shell-session/results.txt ]] && { echo; echo "shell-session:"; sed 's/^/    /' "$OUT/shell-session/results.txt"; }
} >"$OUT/summary.md"
log "summary: $OUT/summary.md"

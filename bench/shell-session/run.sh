#!/usr/bin/env bash
# Per-command cost of ShellSession's framing, old protocol against new, side by side: batches of COUNT
# commands over one open session, locally (sh -s) and over SSH (one bookworm bench container).
#
#   bench/shell-session/run.sh [OUT_DIR] [ROUNDS] [COUNT] [OLD_REV]
#
# OLD_REV is the commit whose ShellSession.java is "before" (default d10d412, the last one with the
# cp/rm/wc/cat frame); "after" is the ShellSession in cli/target/provision.jar. The old class is compiled
# against the jar and put first on the classpath. The two alternate, local and SSH, three times over.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
OUT=${1:-$BENCH_DIR/results/shell-session}
ROUNDS=${2:-15}
COUNT=${3:-100}
OLD_REV=${4:-$OLD_SHELL_REV}
mkdir -p "$OUT"
ensure_provision_jar
ensure_bench_image bookworm

old="$OUT/classes-$OLD_REV"
old_shell_classes "$OLD_REV" "$old"

remove_hosts bench-ss
trap 'remove_hosts bench-ss' EXIT
start_hosts bookworm bench-ss 1
write_known_hosts bench-ss 1 "$OUT/known_hosts"
port=$(host_port bench-ss-1)

harness="$BENCH_DIR/shell-session/ShellSessionBench.java"
: >"$OUT/results.txt"
for repeat in 1 2 3; do
  for mode in local ssh; do
    for version in before after; do
      cp="$PROVISION_JAR"
      [[ $version == before ]] && cp="$old:$PROVISION_JAR"
      for command in true 'echo hi'; do
        line=$(java -cp "$cp" "$harness" "$mode" "$ROUNDS" "$COUNT" "$command" 127.0.0.1 "$port" "$TEST_KEY" "$OUT/known_hosts")
        echo "$version $line load=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/results.txt"
      done
    done
  done
done

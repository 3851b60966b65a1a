#!/usr/bin/env python3
"""Tables from measure.py's JSON lines: per scenario and size, per tool the median wall time with its
spread (min..max), peak controller memory, CPU, and the Ansible/provision ratio of the medians together
with the spread of the ratios of the runs paired in each round.

    summarize.py RESULTS.jsonl... > summary.md

Lines without a "tool" (provision-phases.jsonl, from phases.py) make a second table: where provision's
measured runs spent their time.
"""
import json
import statistics
import sys
from collections import defaultdict


def fmt(values, digits=2):
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}..{max(values):.{digits}f})"


def main():
    records, phases = [], []
    for path in sys.argv[1:]:
        with open(path) as f:
            for line in f:
                if line.strip():
                    record = json.loads(line)
                    (records if "tool" in record else phases).append(record)
    groups = defaultdict(lambda: defaultdict(list))
    for r in records:
        groups[(r["scenario"], int(r.get("hosts", 1)), r.get("phase", "no-change"))][r["tool"]].append(r)
    print("| scenario | hosts | run | tool | n | wall s, median (min..max) | ratio tool/provision: of medians (per round min..max) "
          "| max RSS MiB | process tree PSS peak MiB | controller CPU s | controller CPU ms per host | target CPU s | machine CPU busy | load |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (scenario, hosts, phase), tools in sorted(groups.items()):
        p = tools.get("provision", [])
        for tool in ["provision"] + sorted(t for t in tools if t != "provision"):
            rows = tools.get(tool, [])
            if not rows:
                continue
            ratio = ""
            if tool != "provision" and p:
                medians = statistics.median(x["wall_s"] for x in rows) / statistics.median(x["wall_s"] for x in p)
                by_round = {x["run"]: x["wall_s"] for x in p}
                per_round = [x["wall_s"] / by_round[x["run"]] for x in rows if x["run"] in by_round]
                ratio = f"{medians:.1f}x" + (f" ({min(per_round):.1f}..{max(per_round):.1f})" if per_round else "")
            failed = [x for x in rows if x["exit"] != 0]
            target = [x["target_cpu_s"] for x in rows if x.get("target_cpu_s") is not None]
            busy = [x["machine_busy_share"] * 100 for x in rows if x.get("machine_busy_share") is not None]
            print(f"| {scenario} | {hosts} | {phase} | {tool} | {len(rows)}{' (' + str(len(failed)) + ' failed)' if failed else ''} "
                  f"| {fmt([x['wall_s'] for x in rows])} | {ratio} "
                  f"| {fmt([x['max_rss_mib'] for x in rows], 0)} | {fmt([x['tree_pss_peak_mib'] for x in rows], 0)} "
                  f"| {fmt([x['controller_cpu_s'] for x in rows], 1)} | {fmt([x['controller_cpu_s'] * 1000 / hosts for x in rows], 0)} "
                  f"| {fmt(target, 1) if target else '-'} | {fmt(busy, 0) + ' %' if busy else '-'} "
                  f"| {fmt([x['load1'] for x in rows], 2)} |")
    if phases:
        by = defaultdict(list)
        for r in phases:
            by[(r["scenario"], int(r.get("hosts", 1)), r.get("phase", "no-change"), r.get("variant", "provision"))].append(r)
        walls = {(r["scenario"], int(r.get("hosts", 1)), r.get("phase", "no-change"), r["tool"], r["run"]): r["wall_s"]
                 for r in records if r["tool"].startswith("provision") and not r["scenario"].endswith("-shell")}
        print()
        print("| scenario | hosts | run | variant | wall s | longest host run s (connected: facts, plan, apply, handlers) "
              "| longest first task s (incl. first fact batch) | wall outside host runs s (JVM, inventory, playbook, connect) | round trips per host |")
        print("|---|---|---|---|---|---|---|---|---|")
        for (scenario, hosts, phase, variant), rows in sorted(by.items()):
            keys = [(scenario, hosts, phase, variant, r["run"]) for r in rows]
            wall = [walls[k] for k in keys if k in walls]
            host = [r["host_run_ms_max"] / 1000 for r in rows]
            first = [r["first_task_ms_max"] / 1000 for r in rows]
            outside = [walls[k] - r["host_run_ms_max"] / 1000 for k, r in zip(keys, rows) if k in walls]
            trips = sorted({t for r in rows for t in r["round_trips"]})
            print(f"| {scenario} | {hosts} | {phase} | {variant} | {fmt(wall) if wall else '-'} | {fmt(host)} | {fmt(first)} "
                  f"| {fmt(outside) if outside else '-'} | {trips} |")

if __name__ == "__main__":
    main()

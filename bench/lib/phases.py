#!/usr/bin/env python3
"""Appends where a measured provision run spent its time, from its --json report, to OUT.jsonl:
the longest host run (connected host: facts, plan, apply, handlers), the longest first task (which
includes the first fact batch), the round trips per host, and the changes made.

    phases.py OUT.jsonl REPORT.json KEY=VALUE...
"""
import json
import sys

out, report = sys.argv[1], json.load(open(sys.argv[2]))
record = dict(kv.split("=", 1) for kv in sys.argv[3:])
hosts = report["hosts"]
record.update(
    host_run_ms_max=max(h["durationMs"] for h in hosts),
    first_task_ms_max=max(h["tasks"][0]["durationMs"] for h in hosts if h["tasks"]),
    round_trips=sorted({h["roundTrips"] for h in hosts}),
    changed=report["changed"],
)
with open(out, "a") as f:
    f.write(json.dumps(record) + "\n")

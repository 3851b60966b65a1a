#!/usr/bin/env python3
"""Runs one command under /usr/bin/time -v and appends one JSON line with what it cost.

    measure.py OUT.jsonl [--cgroups FILE] KEY=VALUE... -- COMMAND ARGS...

Recorded: wall seconds (the whole process, from fork to exit: JVM start and Ansible's start included),
the exit code, GNU time's maximum resident set size (the largest single process: for provision the java
process, for Ansible its largest Python process), and the peak of the summed proportional set size (PSS)
of the command's whole process tree, sampled every 20 ms (Ansible forks a worker process per host, so
this is its real controller footprint). The command's stdout and stderr go to files named after OUT.
Also the controller's CPU seconds (user and system, GNU time), and with --cgroups (a file listing the
containers' cgroup v2 directories) the CPU seconds all target hosts used meanwhile (cpu.stat usage_usec).
The whole machine's CPU busy share over the run (/proc/stat: all cores, the hosts' and everything else's
included) shows whether a run keeps the cores busy or waits on something that serialises.
Extra KEY=VALUE pairs are copied into the record (tool, scenario, run, hosts...).
"""
import json
import os
import re
import subprocess
import sys
import threading
import time


def children(pid):
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return kids


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss(root):
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += pss_kib(pid)
        stack += children(pid)
    return total


def cgroup_cpu_s(paths):
    total = 0
    for path in paths:
        with open(os.path.join(path, "cpu.stat")) as f:
            for line in f:
                if line.startswith("usage_usec"):
                    total += int(line.split()[1])
    return total / 1e6


def machine_cpu_ticks():
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    return sum(values) - idle, sum(values)


def main():
    args = sys.argv[1:]
    split = args.index("--")
    out, extra, command = args[0], args[1:split], args[split + 1:]
    cgroups = []
    if extra and extra[0] == "--cgroups":
        with open(extra[1]) as f:
            cgroups = [line.strip() for line in f if line.strip()]
        extra = extra[2:]
    record = dict(kv.split("=", 1) for kv in extra)
    base = out.rsplit(".", 1)[0] + "." + "-".join(record.get(k, "") for k in ("scenario", "phase", "tool", "hosts", "run") if k in record)
    timefile = base + ".time"
    with open(base + ".stdout", "wb") as so, open(base + ".stderr", "wb") as se:
        target_cpu_before = cgroup_cpu_s(cgroups)
        busy_before, total_before = machine_cpu_ticks()
        start = time.monotonic()
        proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", timefile] + command, stdout=so, stderr=se)
        peak = [0]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], tree_pss(proc.pid) - pss_kib(proc.pid))  # without GNU time itself
                done.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        wall = time.monotonic() - start
        target_cpu = cgroup_cpu_s(cgroups) - target_cpu_before
        busy_after, total_after = machine_cpu_ticks()
        done.set()
        sampler.join()
    with open(timefile) as f:
        timed = f.read()
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", timed)
    status = re.search(r"Exit status: (\d+)", timed)
    user = re.search(r"User time \(seconds\): ([\d.]+)", timed)
    system = re.search(r"System time \(seconds\): ([\d.]+)", timed)
    record.update(wall_s=round(wall, 3), exit=int(status.group(1)) if status else code,
                  max_rss_mib=round(int(rss.group(1)) / 1024, 1) if rss else None,
                  tree_pss_peak_mib=round(peak[0] / 1024, 1),
                  controller_cpu_s=round(float(user.group(1)) + float(system.group(1)), 2) if user and system else None,
                  target_cpu_s=round(target_cpu, 2) if cgroups else None,
                  machine_busy_share=round((busy_after - busy_before) / max(1, total_after - total_before), 2),
                  load1=float(open("/proc/loadavg").read().split()[0]))
    with open(out, "a") as f:
        f.write(json.dumps(record) + "\n")
    print(json.dumps(record), file=sys.stderr)
    return record["exit"]


if __name__ == "__main__":
    sys.exit(main())

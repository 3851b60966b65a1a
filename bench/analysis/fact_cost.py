#!/usr/bin/env python3
"""Where a no-change run's target CPU goes: each fact command of a provision -vv log, run alone in the
container (docker exec, its CPU read from the container's cgroup, the cost of `docker exec true` taken
off), grouped by kind. It showed where to batch (FactBatch: one find for all paths, one systemctl show
for all units) and shows what is left.

    fact_cost.py CONTAINER CGROUP_DIR VV_LOG [REPEATS]
"""
import re
import subprocess
import sys


def commands(log):
    cmds, cur = [], None
    for line in open(log):
        line = line.rstrip("\n")
        line = re.sub(r"^\S+ \|", "", line)
        m = re.match(r"^\s*\$ \[(?:exit \d+|at close)\] (.*)$", line)
        if m:
            if cur is not None:
                cmds.append(cur)
            cur = m.group(1)
            continue
        m = re.match(r"^\s*\$ (.*)$", line)
        if m and cur is not None:
            cur += "\n" + m.group(1)
            continue
        if cur is not None:
            cmds.append(cur)
            cur = None
    if cur is not None:
        cmds.append(cur)
    return cmds


def kind(cmd):
    if cmd.startswith("lock="):
        return "host lock"
    if "apt-cache policy" in cmd:
        return "package candidate (apt-cache policy)"
    if cmd.startswith("dpkg-query"):
        return "installed packages (dpkg-query)"
    if "update-success-stamp" in cmd:
        return "apt cache age"
    if cmd.startswith("getent"):
        return "users and groups (getent)"
    if cmd.startswith("f="):
        return "path state, one path (stat, content)"
    if cmd.startswith("find "):
        return "path states, all paths (find, cat, base64)"
    if cmd.startswith("systemctl show"):
        return "unit state (systemctl show)"
    return "other"


def main():
    container, cgroup, log = sys.argv[1:4]
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 5

    def cpu_ms():
        with open(cgroup + "/cpu.stat") as f:
            for line in f:
                if line.startswith("usage_usec"):
                    return int(line.split()[1]) / 1000

    def cost(cmd, n=repeats):
        before = cpu_ms()
        for _ in range(n):
            subprocess.run(["docker", "exec", container, "sh", "-c", cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return (cpu_ms() - before) / n

    base = cost("true", 3 * repeats)
    cmds = commands(log)
    per_kind = {}
    for cmd in cmds:
        k = kind(cmd)
        n, ms = per_kind.get(k, (0, 0.0))
        per_kind[k] = (n + 1, ms + max(0.0, cost(cmd) - base))
    print(f"docker exec true: {base:.1f} ms of container CPU (taken off every figure below)")
    print(f"{'kind':45} {'commands':>8} {'CPU ms':>8}")
    for k, (n, ms) in sorted(per_kind.items(), key=lambda kv: -kv[1][1]):
        print(f"{k:45} {n:8d} {ms:8.0f}")
    total = sum(ms for _, ms in per_kind.values())
    print(f"{'total, one command per resource':45} {len(cmds):8d} {total:8.0f}")

if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Where a provision run's wall time goes, from the JVM's class-load log: each phase runs from the first
class that marks it to the first class of the next (a short run is too short for a sampling profiler,
whose own start takes longer than most phases; the class-load log costs the run a few per cent).

    java ... -Xlog:class+load:file=LOG -jar provision.jar apply ...
    startup_phases.py LOG...     (several logs: the median of each phase)

A phase whose marker does not appear in a log (--version connects to no host) is left out of it.
"""
import re
import statistics
import sys

# (phase, the class whose loading starts it); in the order a run reaches them
MARKERS = [
    ("JVM start (to provision's main)", None),
    ("CLI parsing (picocli: the command model, the arguments)", "dev.provision.cli.Main"),
    ("inventory (read, hosts selected)", "dev.provision.engine.inventory.InventoryReader"),
    ("compile cache check, playbook classes loaded", "dev.provision.cli.CompiledPlaybooks"),
    ("playbook definition, run set up", "dev.provision.cli.Runner"),
    ("SSH connect (sshj set-up, handshake, host key, authentication, shell)", "dev.provision.engine.connect.SshConnection"),
    ("host run (lock, one fact batch, plan, apply, per-task report)", "dev.provision.engine.connect.ShellSession"),
    ("recap", "dev.provision.engine.report.RunReport"),
]
LINE = re.compile(r"^\[(\d+\.\d+)s\]\[info\]\[class,load\] (\S+) ")


def phases(log):
    first, last = {}, 0.0
    for line in open(log):
        m = LINE.match(line)
        if m:
            t, name = float(m.group(1)), m.group(2)
            first.setdefault(name, t)
            last = t
    starts = [(phase, 0.0 if marker is None else first.get(marker)) for phase, marker in MARKERS]
    starts = [(phase, t) for phase, t in starts if t is not None]
    ends = [t for _, t in starts[1:]] + [last]
    return {phase: end - start for (phase, start), end in zip(starts, ends)}, last


def main():
    runs = [phases(log) for log in sys.argv[1:]]
    print(f"| phase | ms, median of {len(runs)} (min..max) |")
    print("|---|---|")
    for phase, _ in MARKERS:
        values = [r[phase] * 1000 for r, _ in runs if phase in r]
        if values:
            print(f"| {phase} | {statistics.median(values):.0f} ({min(values):.0f}..{max(values):.0f}) |")
    totals = [last * 1000 for _, last in runs]
    print(f"| total, to the last class loaded | {statistics.median(totals):.0f} ({min(totals):.0f}..{max(totals):.0f}) |")


if __name__ == "__main__":
    main()

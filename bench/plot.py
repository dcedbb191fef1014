#!/usr/bin/env python3
"""Plots throughput against object size, cairn and nginx, GET and PUT, from the JSON that
bench/report.py writes (bench/results/latest.json).

  plot.py RESULTS.json OUT.png

Needs matplotlib (Debian: python3-matplotlib, for /usr/bin/python3).
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402

MIB = 1 << 20


def points(runs, server, workload):
    """(size, MiB/s, concurrency) of the 1x runs of `workload` against `server`, by size (for
    multipart, the run with 2 parts in flight)."""
    out = {}
    for run in runs:
        result = run["result"]
        if run["server"] != server or result.get("workload") != workload:
            continue
        if run["id"].endswith(("-x10", "-p4")) or result["parameters"].get("cancelAtEnd"):
            continue
        size = result["parameters"]["size"]
        out[size] = (result["bytesPerSecond"] / MIB, result["parameters"]["concurrency"])
    return sorted((size, rate, conns) for size, (rate, conns) in out.items())


def size_label(n):
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:g} {unit}"
    return f"{n} B"


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    runs = doc["runs"]
    fig, ax = plt.subplots(figsize=(8, 5), dpi=100)
    styles = {("cairn", "get"): ("tab:blue", "-", "o"), ("nginx", "get"): ("tab:gray", "-", "o"),
              ("cairn", "put"): ("tab:blue", "--", "s"), ("nginx", "put"): ("tab:gray", "--", "s"),
              ("cairn", "multipart"): ("tab:green", ":", "^")}
    sizes = set()
    for (server, workload), (color, line, marker) in styles.items():
        pts = points(runs, server, workload)
        if not pts:
            continue
        sizes.update(p[0] for p in pts)
        label = f"{server} {workload.upper() if workload != 'multipart' else 'multipart'}"
        ax.plot([p[0] for p in pts], [p[1] for p in pts], color=color, linestyle=line,
                marker=marker, label=label)
        for size, rate, conns in pts:
            ax.annotate(f"{conns}c", (size, rate), textcoords="offset points", xytext=(4, 4),
                        fontsize=7, color=color)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xticks(sorted(sizes))
    ax.set_xticklabels([size_label(s) for s in sorted(sizes)])
    ax.set_xlabel("object size (concurrent connections noted at each point)")
    ax.set_ylabel("MiB/s")
    machine = doc["machine"]
    ax.set_title(f"Throughput against object size, loopback, {machine['cores']} cores "
                 f"({machine['mode']} run, shared machine)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(sys.argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main())

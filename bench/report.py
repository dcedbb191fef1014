#!/usr/bin/env python3
"""Turns a bench/run.sh run into results: one JSON document (every run's `cairn bench --json`
summary with what /proc said about the server, the micro-benchmarks, the MD5 reference and the
machine), a markdown report (tables of absolute figures, ratios against nginx and against the
targets of issue 6), and optionally the results section of docs/performance.md.

  report.py --runs DIR --json OUT.json --markdown OUT.md [--doc docs/performance.md]
  report.py --from RESULTS.json --markdown OUT.md [--doc docs/performance.md]   (tables again)
  report.py --summarize RUN.json RUN.meta.json     (one line while the suite runs)
"""

import argparse
import glob
import json
import os
import re
import sys

DOC_BEGIN = "<!-- bench:results:begin (written by bench/report.py) -->"
DOC_END = "<!-- bench:results:end -->"
MIB = 1 << 20


def load(path):
    with open(path) as f:
        return json.load(f)


def human_size(n):
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n} B"


def fmt(x, digits=1):
    if x is None:
        return "n/a"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


def latency(result):
    lat = result.get("latencyMs", {})
    return f"{lat.get('p50', 0):.2f} / {lat.get('p99', 0):.2f} / {lat.get('p999', 0):.2f}"


def attempts(result):
    return result["operations"] + result["errors"] + result["cancelled"]


def server_cpu_per_op(run):
    """The server's CPU time per request over the timed window (`cairn bench --server-pid`)."""
    server = run["result"].get("server")
    return server["cpuMicrosPerOperation"] if server else None


def rss_peak_kib(run):
    server = run["result"].get("server")
    return server["rssPeakKiB"] if server else 0


def summarize(result_path, meta_path):
    """The line printed after each run."""
    try:
        result, meta = load(result_path), load(meta_path)
    except (OSError, ValueError) as e:
        print(f"   no result ({e})")
        return 1
    if "workload" not in result:
        print(f"   failed: {result.get('error', {}).get('message', 'no summary')}")
        return 1
    cpu = server_cpu_per_op({"result": result, "meta": meta})
    print(f"   {meta['server']}: {result['opsPerSecond']:,.1f} ops/s  "
          f"{result['mibPerSecond']:,.1f} MiB/s  p50/p99/p99.9 {latency(result)} ms  "
          f"errors {result['errors']}  RSS {meta['rssIdleKiB'] / 1024:.0f} -> "
          f"{rss_peak_kib({'result': result, 'meta': meta}) / 1024:.0f} MiB  "
          f"server CPU {fmt(cpu)} us/op  "
          f"(load {meta['loadAverage']}, {meta['compilersRunning']} compilers running)")
    return 0


def collect(runs_dir):
    runs = []
    for meta_path in sorted(glob.glob(os.path.join(runs_dir, "*.meta.json"))):
        meta = load(meta_path)
        try:
            result = load(meta_path[: -len(".meta.json")] + ".json")
        except (OSError, ValueError):
            result = {}
        runs.append({"id": meta["id"], "server": meta["server"], "meta": meta, "result": result})
    return sorted(runs, key=lambda r: r["meta"].get("seq", 0))  # in the order they ran


def md5_reference(runs_dir):
    """Bytes per second of `openssl speed -evp md5 -bytes 1048576` (it prints 1000s of bytes)."""
    try:
        with open(os.path.join(runs_dir, "openssl-md5.txt")) as f:
            for line in f:
                m = re.match(r"^md5\s+([0-9.]+)k", line.strip())
                if m:
                    return float(m.group(1)) * 1000
    except OSError:
        pass
    return None


def disk_reference(runs_dir):
    """Bytes per second of `dd bs=1M conv=fdatasync`: '<bytes> bytes (...) copied, <seconds> s'."""
    try:
        with open(os.path.join(runs_dir, "dd-fdatasync.txt")) as f:
            for line in f:
                m = re.match(r"^(\d+) bytes .* copied, ([0-9.]+) s", line.strip())
                if m and float(m.group(2)) > 0:
                    return int(m.group(1)) / float(m.group(2))
    except OSError:
        pass
    return None


def micro_results(runs_dir):
    try:
        doc = load(os.path.join(runs_dir, "micro.json"))
    except (OSError, ValueError):
        return []
    out = []
    for b in doc.get("benchmarks", []):
        out.append({k: b[k] for k in ("name", "real_time", "cpu_time", "time_unit",
                                      "bytes_per_second", "items_per_second", "label")
                    if k in b})
    return out


class Runs:
    def __init__(self, runs):
        self.by_key = {(r["id"], r["server"]): r for r in runs if "workload" in r["result"]}

    def get(self, run_id, server="cairn"):
        return self.by_key.get((run_id, server))

    def value(self, run_id, field, server="cairn"):
        run = self.get(run_id, server)
        return run["result"][field] if run else None

    def ids(self):
        seen = []
        for run_id, _ in self.by_key:
            if run_id not in seen:
                seen.append(run_id)
        return seen


def ratio(a, b):
    return a / b if a is not None and b else None


def targets(runs, md5):
    """The goals of issue 6, each with what this run measured."""
    out = []

    def add(name, measured, goal, met, detail):
        out.append({"target": name, "measured": measured, "goal": goal,
                    "met": None if measured is None else met, "detail": detail})

    for run_id, label, field, goal in (
            ("get-4k-x1", "GET 4 KiB req/s vs nginx", "opsPerSecond", 0.75),
            ("get-1m-x1", "GET 1 MiB MB/s vs nginx", "bytesPerSecond", 0.8),
            ("get-big", "GET large object MB/s vs nginx", "bytesPerSecond", 0.8),
            ("put-4k-x1", "PUT 4 KiB (durable) req/s vs nginx WebDAV", "opsPerSecond", 0.8),
            ("put-big", "PUT large object, one stream, MB/s vs nginx WebDAV", "bytesPerSecond",
             0.7)):
        r = ratio(runs.value(run_id, field), runs.value(run_id, field, "nginx"))
        add(label, r, f">= {goal}x", r is not None and r >= goal,
            f"{rate_text(runs.value(run_id, field), field)} vs "
            f"{rate_text(runs.value(run_id, field, 'nginx'), field)}")
    single = runs.value("put-big", "bytesPerSecond")
    for p in (2, 4):
        multi = runs.value(f"multipart-big-p{p}", "bytesPerSecond")
        r = ratio(multi, single)
        add(f"multipart, {p} parts in flight, vs one-stream PUT", r,
            ">= 1.5x" if p == 2 else "(no goal)", r is not None and (p != 2 or r >= 1.5),
            f"{fmt(multi and multi / MIB)} vs {fmt(single and single / MIB)} MiB/s")
    list_ids = sorted((int(i.split("-")[1]), i) for i in runs.ids()
                      if re.fullmatch(r"list-\d+", i))
    if len(list_ids) >= 2:
        small, large = list_ids[0], list_ids[-1]
        p_small = runs.get(small[1])["result"]["latencyMs"]["p50"]
        p_large = runs.get(large[1])["result"]["latencyMs"]["p50"]
        r = ratio(p_large, p_small)
        add(f"ListObjectsV2 page p50 at {large[0]:,} keys vs {small[0]:,}", r, "<= 1.2x",
            r is not None and r <= 1.2, f"{p_large:.2f} vs {p_small:.2f} ms")
        delim = runs.get(f"list-delimiter-{large[0]}")
        if delim:
            prefixes = delim["result"]["parameters"].get("prefixes")
            p50 = delim["result"]["latencyMs"]["p50"]
            p99 = delim["result"]["latencyMs"]["p99"]
            add(f"delimiter listing, {prefixes:,} common prefixes ({large[0]:,} keys), "
                "ms per page", p50, "< 20 ms", p50 < 20, f"p50 {p50:.2f}, p99 {p99:.2f} ms")
        for kind, what in (("rare", "100,000 keys read"), ("common", "1,000 matches")):
            search = runs.get(f"search-{kind}-{large[0]}")
            if search:
                p50 = search["result"]["latencyMs"]["p50"]
                r = ratio(p50, p_large)
                add(f"key search page ({what}) p50 vs ListObjectsV2 page, {large[0]:,} keys", r,
                    "(no goal)", True, f"{p50:.2f} vs {p_large:.2f} ms")
    return out


def memory_targets(runs, machine):
    out = []
    idle = machine.get("cairnIdleRssKiBAtStart")
    if idle:
        out.append({"target": "cairn RSS idle (just started)", "measured": idle / 1024,
                    "goal": "< 30 MiB", "met": idle / 1024 < 30, "detail": "MiB"})
    mem = runs.get("memory-64-uploads")
    if mem:
        peak = rss_peak_kib(mem) / 1024
        out.append({"target": "cairn RSS peak, 64 concurrent 1 GiB uploads", "measured": peak,
                    "goal": "< 150 MiB", "met": peak < 150,
                    "detail": f"MiB ({fmt(mem['result']['mibPerSecond'])} MiB/s moved)"})
    return out


def describe(run_id, result):
    p = result["parameters"]
    text = f"`{run_id}` {result['workload']} {human_size(p['size'])}, {p['concurrency']} conn"
    if "objects" in p:
        text += f", {p['objects']:,} objects"
    if "partsInFlight" in p:
        text += f", {human_size(p['partSize'])} parts, {p['partsInFlight']} in flight"
    if p.get("getRatio") is not None:
        text += f", {int(p['getRatio'] * 100)}% GET"
    if p.get("cancelAtEnd"):
        text += ", cut at the end"
    if run_id.endswith("-x10"):
        text += " (10x data)"
    return text


def rate_text(value, field):
    if value is None:
        return "n/a"
    return f"{fmt(value)} ops/s" if field == "opsPerSecond" else f"{fmt(value / MIB)} MiB/s"


def markdown(doc):
    runs = Runs(doc["runs"])
    machine = doc["machine"]
    lines = []
    lines.append(f"Mode **{machine['mode']}**, {machine['durationSeconds']} s per timed run after "
                 f"a {machine['warmupSeconds']} s warmup; cairn {machine['cairnCommit']}, nginx "
                 f"{machine['nginx']}, OpenSSL {machine['openssl']}; {machine['cpu']}, "
                 f"{machine['cores']} cores, {machine['memoryKiB'] // 1024:,} MiB RAM, "
                 f"{machine['os']}, kernel {machine['kernel']}, {machine['filesystem']}; the suite "
                 f"took {machine['suiteSeconds'] // 60} min {machine['suiteSeconds'] % 60} s.")
    lines.append("")
    lines.append("#### Targets")
    lines.append("")
    lines.append("| target | measured | goal | met |")
    lines.append("|---|---|---|---|")
    for t in doc["targets"]:
        met = {True: "yes", False: "**no**", None: "n/a"}[t["met"]]
        lines.append(f"| {t['target']} | {fmt(t['measured'], 2)} ({t['detail']}) | {t['goal']} "
                     f"| {met} |")
    md5 = doc["references"].get("opensslMd5BytesPerSecond")
    if md5:
        put_big = runs.value("put-big", "bytesPerSecond")
        lines.append(f"| PUT large object vs single-core MD5 (`openssl speed -evp md5`) | "
                     f"{fmt(ratio(put_big, md5), 2)} ({fmt(put_big and put_big / MIB)} vs "
                     f"{fmt(md5 / MIB)} MiB/s) | (the ceiling: every byte is hashed once) | |")
    disk = doc["references"].get("diskFdatasyncBytesPerSecond")
    if disk:
        for run_id, what in (("put-big", "PUT large object, one stream"),
                             ("multipart-big-p2", "multipart, 2 parts in flight")):
            rate = runs.value(run_id, "bytesPerSecond")
            lines.append(f"| {what}, vs the disk's durable write speed (`dd conv=fdatasync`) | "
                         f"{fmt(ratio(rate, disk), 2)} ({fmt(rate and rate / MIB)} vs "
                         f"{fmt(disk / MIB)} MiB/s) | (the ceiling: every upload is fsynced) | |")
    lines.append("")
    lines.append("#### cairn and nginx, same generator")
    lines.append("")
    lines.append("Rates over the timed window; latency p50 / p99 / p99.9 in ms; server CPU is "
                 "the server's user+system time per request (from /proc), client CPU the "
                 "generator's; load is the 1-minute load average when the run started.")
    lines.append("")
    lines.append("| run | cairn ops/s | cairn MiB/s | nginx ops/s | nginx MiB/s | cairn/nginx "
                 "| cairn latency | nginx latency | cairn RSS idle -> peak MiB | server CPU us/op "
                 "cairn / nginx | client CPU us/op cairn / nginx | errors | load |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for run_id in runs.ids():
        c, n = runs.get(run_id), runs.get(run_id, "nginx")
        if not c:
            continue
        cr = c["result"]
        small = cr["parameters"]["size"] <= 64 * 1024
        field = "opsPerSecond" if small else "bytesPerSecond"
        if n:
            nr = n["result"]
            r = ratio(cr[field], nr[field])
            lines.append(
                f"| {describe(run_id, cr)} | {fmt(cr['opsPerSecond'])} | {fmt(cr['mibPerSecond'])} | "
                f"{fmt(nr['opsPerSecond'])} | {fmt(nr['mibPerSecond'])} | {fmt(r, 2)} "
                f"({'ops' if small else 'MB'}) | {latency(cr)} | {latency(nr)} | "
                f"{c['meta']['rssIdleKiB'] / 1024:.0f} -> {rss_peak_kib(c) / 1024:.0f} | "
                f"{fmt(server_cpu_per_op(c))} / {fmt(server_cpu_per_op(n))} | "
                f"{fmt(cr['client']['cpuMicrosPerOperation'])} / "
                f"{fmt(nr['client']['cpuMicrosPerOperation'])} | {cr['errors']} / {nr['errors']} "
                f"| {c['meta']['loadAverage']} |")
    lines.append("")
    lines.append("#### cairn only")
    lines.append("")
    lines.append("| run | ops/s | MiB/s | items/s | latency | RSS idle -> peak MiB | server CPU "
                 "us/op | errors | load |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for run_id in runs.ids():
        c = runs.get(run_id)
        if not c or runs.get(run_id, "nginx"):
            continue
        cr = c["result"]
        name = describe(run_id, cr)
        if cr["workload"] == "list":
            p = cr["parameters"]
            name = (f"`{run_id}` ListObjectsV2, {p['objects']:,} keys in {p['prefixes']:,} prefixes, "
                    f"max-keys {p['maxKeys']}" + (f", delimiter '{p['delimiter']}'"
                                                  if p["delimiter"] else ""))
        if cr["workload"] == "search":
            p = cr["parameters"]
            name = (f"`{run_id}` key search for '{p['text']}', {p['objects']:,} keys, "
                    f"{p['limit']:,} matches a page")
        lines.append(f"| {name} | {fmt(cr['opsPerSecond'])} | {fmt(cr['mibPerSecond'])} | "
                     f"{fmt(cr.get('itemsPerSecond'))} | {latency(cr)} | "
                     f"{c['meta']['rssIdleKiB'] / 1024:.0f} -> {rss_peak_kib(c) / 1024:.0f}"
                     f" | {fmt(server_cpu_per_op(c))} | {cr['errors']} | "
                     f"{c['meta']['loadAverage']} |")
    lines.extend(cluster_section(doc, runs))
    if doc["micro"]:
        lines.append("")
        lines.append("#### Micro-benchmarks (`cairn_micro_bench`)")
        lines.append("")
        lines.append("| benchmark | time per iteration | throughput |")
        lines.append("|---|---|---|")
        for b in doc["micro"]:
            per = f"{b['real_time']:,.0f} {b['time_unit']}"
            rate = []
            if "bytes_per_second" in b:
                rate.append(f"{b['bytes_per_second'] / MIB:,.0f} MiB/s")
            if "items_per_second" in b:
                rate.append(f"{b['items_per_second']:,.0f} items/s")
            label = f" ({b['label']})" if b.get("label") else ""
            lines.append(f"| {b['name']}{label} | {per} | {', '.join(rate)} |")
    return "\n".join(lines) + "\n"


def cluster_section(doc, runs):
    """The gateway on PostgreSQL + RADOS beside cairn on SQLite + files (docs/scale-out.md)."""
    lines = ["", "#### PostgreSQL + RADOS beside SQLite + files", ""]
    skipped = doc.get("clusterSkipped")
    if skipped:
        return lines + [f"Not measured: {skipped}"]
    lines.append("One gateway on PostgreSQL (fsync on) and a one-node Ceph cluster (bluestore on a "
                 "file), on this machine, against cairn on SQLite + files in the same run. "
                 "Engine CPU is PostgreSQL's processes' and the OSD's time per request; "
                 "requests per PostgreSQL core is requests over PostgreSQL's CPU seconds.")
    lines.append("")
    lines.append("| run | cluster ops/s | SQLite + files ops/s | cluster / SQLite | cluster latency "
                 "| gateway CPU us/op | PostgreSQL CPU us/op | OSD CPU us/op | requests per "
                 "PostgreSQL core-second | errors |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    for run_id in runs.ids():
        c = runs.get(run_id, "cluster")
        if not c or "workload" not in c["result"]:
            continue
        cr, meta = c["result"], c["meta"]
        ops = cr["operations"]
        pg, osd = meta.get("postgresCpuSeconds"), meta.get("osdCpuSeconds")
        per_core = ops / pg if pg else None
        lines.append(
            f"| {describe(run_id, cr)} | {fmt(cr['opsPerSecond'])} | "
            f"{fmt(runs.value(run_id, 'opsPerSecond'))} | "
            f"{fmt(ratio(cr['opsPerSecond'], runs.value(run_id, 'opsPerSecond')), 2)} | "
            f"{latency(cr)} | {fmt(server_cpu_per_op(c))} | "
            f"{fmt(pg and ops and pg * 1e6 / ops)} | {fmt(osd and ops and osd * 1e6 / ops)} | "
            f"{fmt(per_core)} | {cr['errors']} |")
    size = doc.get("clusterMetadata")
    if size:
        lines.append("")
        lines.append(f"Metadata on PostgreSQL: {size['objects']:,} objects in "
                     f"{size['bytes'] / MIB:,.1f} MiB of table and indexes, "
                     f"{size['bytes'] / max(size['objects'], 1):,.0f} bytes per object.")
    return lines


def cluster_facts(runs_dir):
    """Why the cluster runs were skipped, and PostgreSQL's objects table size after them."""
    facts = {}
    try:
        with open(os.path.join(runs_dir, "cluster-skipped.txt")) as f:
            facts["clusterSkipped"] = f.read().strip()
    except OSError:
        pass
    try:
        with open(os.path.join(runs_dir, "cluster-metadata-size.txt")) as f:
            count, size = f.read().strip().split("|")
            facts["clusterMetadata"] = {"objects": int(count), "bytes": int(size)}
    except (OSError, ValueError):
        pass
    return facts


def update_doc(path, text):
    with open(path) as f:
        doc = f.read()
    begin, end = doc.find(DOC_BEGIN), doc.find(DOC_END)
    if begin < 0 or end < begin:
        print(f"{path} has no results section ({DOC_BEGIN} ... {DOC_END}); left alone",
              file=sys.stderr)
        return
    doc = doc[: begin + len(DOC_BEGIN)] + "\n" + text + doc[end:]
    with open(path, "w") as f:
        f.write(doc)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--summarize", nargs=2, metavar=("RUN_JSON", "META_JSON"))
    parser.add_argument("--runs")
    parser.add_argument("--from", dest="from_json")
    parser.add_argument("--json")
    parser.add_argument("--markdown")
    parser.add_argument("--doc")
    args = parser.parse_args()
    if args.summarize:
        return summarize(*args.summarize)
    if args.from_json:
        doc = load(args.from_json)
    else:
        runs = collect(args.runs)
        machine = load(os.path.join(args.runs, "machine.json"))
        md5 = md5_reference(args.runs)
        wrapped = Runs(runs)
        doc = {"machine": machine,
               "references": {"opensslMd5BytesPerSecond": md5,
                              "diskFdatasyncBytesPerSecond": disk_reference(args.runs)},
               "runs": runs, "micro": micro_results(args.runs), **cluster_facts(args.runs)}
        doc["targets"] = targets(wrapped, md5) + memory_targets(wrapped, machine)
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
    text = markdown(doc)
    with open(args.markdown, "w") as f:
        f.write(text)
    if args.doc:
        update_doc(args.doc, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

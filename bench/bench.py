#!/usr/bin/env python3
"""kfrun's benchmark suite (issue 7): runs the sections, prints a table, writes BENCHMARKS.md.
Run it through bench/run.sh, which sets the machine up and builds the binaries first.

usage: bench.py --kfrun BIN --raw-loop BIN --micro BIN [--quick] [--only a,b] [--output FILE]
Sections: chain, fanout, cached, planning, artifacts, micro."""

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time

import measure
import sections
from runner import Bench, Section

ORDER = ["chain", "fanout", "cached", "planning", "artifacts", "micro"]


def table(section):
    lines = ["| measurement | median | ratio | target | met |", "|---|---|---|---|---|"]
    for name, value, ratio, target, met in section.rows:
        mark = "" if met is None else ("yes" if met else "**no**")
        lines.append("| %s | %s | %s | %s | %s |" % (name, value, ratio, target, mark))
    return lines


def markdown(results, machine, started, loads, probes, args, seconds):
    here = os.path.dirname(os.path.abspath(__file__))
    out = ["# kfrun benchmarks", "",
           "Written by `bench/run.sh%s` on %s UTC in %.0f s. Every comparison in a section was "
           "measured in this run, alternating between the variants round by round (so load drifts "
           "hit all of them alike); figures are medians of whole processes unless stated, ratios "
           "are ratios of medians. Targets are from issue 7 (v2 rows: issue 17)." % (" --quick" if args.quick else "",
                                                                  started, seconds), "",
           "| machine | |", "|---|---|"]
    out += ["| %s | %s |" % (key, value) for key, value in machine.items()]
    out += ["| load average (1 min) at start / end | %.2f / %.2f |" % loads,
            "| speed probe at start / end: a 5 M-step Python loop; `kfrun --version` | "
            "%.0f / %.0f ms; %.1f / %.1f ms |" % (probes[0][0] * 1000, probes[1][0] * 1000,
                                                 probes[0][1] * 1000, probes[1][1] * 1000), ""]
    for section in results:
        out += ["## " + section.title, ""] + table(section) + [""]
        if section.details:
            out += section.details + [""]
    analysis = os.path.join(here, "analysis.md")
    if os.path.exists(analysis):
        with open(analysis) as source:
            out += [source.read().rstrip(), ""]
    return "\n".join(out)


def print_table(results):
    for section in results:
        print("\n" + section.title)
        for name, value, ratio, target, met in section.rows:
            mark = "" if met is None else ("ok" if met else "MISSED")
            print("  %-62s %-22s %-8s %-10s %s" % (name, value, ratio, target, mark))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kfrun", required=True)
    parser.add_argument("--raw-loop", required=True)
    parser.add_argument("--micro", required=True)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke test)")
    parser.add_argument("--only", default=",".join(ORDER), help="comma-separated sections")
    parser.add_argument("--output", default=None, help="where BENCHMARKS.md goes")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir")
    args = parser.parse_args()
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in ORDER]
    if unknown:
        parser.error("unknown section(s): " + ", ".join(unknown))

    work = tempfile.mkdtemp(prefix="kfrun-bench-")
    bench = Bench(os.path.abspath(args.kfrun), os.path.abspath(args.raw_loop),
                  os.path.abspath(args.micro), work, args.quick)
    started = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M")
    begin = time.time()
    load_start = measure.load_average()[0]
    probe_start = measure.speed_probe(bench.kfrun_bin)
    print("bench: machine load %.2f; work dir %s" % (load_start, work), flush=True)
    results = []
    failed = False
    try:
        for name in [n for n in ORDER if n in wanted]:
            print("bench: %s …" % name, flush=True)
            section_start = time.time()
            try:
                results.append(getattr(sections, name)(bench))
            except (measure.BenchError, OSError, KeyError, ValueError, IndexError) as error:
                print("bench: %s FAILED: %s" % (name, error), file=sys.stderr)
                broken = Section("%s (failed)" % name)
                broken.details.append("- failed: `%s`" % str(error).splitlines()[0][:300])
                results.append(broken)
                failed = True
            print("bench: %s done in %.0f s" % (name, time.time() - section_start), flush=True)
    finally:
        subprocess.run(["sh", "-c", "docker ps -aq --filter label=org.kfrun.bench=raw | "
                        "xargs -r docker rm -f"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    loads = (load_start, measure.load_average()[0])
    probes = (probe_start, measure.speed_probe(bench.kfrun_bin))
    print_table(results)
    if args.output:
        text = markdown(results, measure.machine(), started, loads, probes, args,
                        time.time() - begin)
        with open(args.output + ".tmp", "w") as out:
            out.write(text + "\n")
        os.replace(args.output + ".tmp", args.output)
        print("\nbench: wrote %s" % args.output)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

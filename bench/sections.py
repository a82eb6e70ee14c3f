"""The six benchmark sections of issue 7 (chain and fanout also run the v2 IR versions of their
pipelines, issue 17). Each takes a runner.Bench and returns a Section; every comparison inside a
section is measured alternately, in the same run."""

import json
import os
import shutil
import subprocess
import time

import measure
import pipelines
from measure import median
from runner import Section, secs


def _ratio_row(section, name, mine, theirs, limit):
    ratio = median(mine) / median(theirs)
    section.row(name, "%s / %s" % (secs(median(mine)), secs(median(theirs))), "%.2f×" % ratio,
                "≤ %.2f×" % limit, ratio <= limit)


def _step_timings(report):
    """Medians of the per-step timings kfrun recorded (ms), over the container steps."""
    fields = ("pullMs", "createMs", "runMs", "collectMs", "cleanupMs")
    values = {field: [] for field in fields}
    for step in report.get("steps", []):
        timings = step.get("timings")
        if not timings or str(step.get("cache", "")).lower() == "hit":
            continue
        for field in fields:
            values[field].append(timings.get(field, 0))
    return ", ".join("%s %.0f" % (field[:-2], median(v)) for field, v in values.items() if v)


def _keeping_reports(bench, variants, kfrun_names):
    """Wraps the kfrun variants so that each one's last report dir is kept under its name."""
    reports = {}

    def keep(name, action):
        def run():
            seconds = action()
            reports[name] = bench.last_report
            return seconds
        return run

    return {name: keep(name, action) if name in kfrun_names else action
            for name, action in variants.items()}, reports


def _step_output(report, name, key="out"):
    """An output parameter of the step named `name` (a v2 task path may carry DAG prefixes)."""
    for step in report.get("steps", []):
        if step.get("name") == name or str(step.get("name", "")).endswith("/" + name):
            return (step.get("outputs") or {}).get("parameters", {}).get(key)
    return None


def chain(bench, steps=20):
    """v1 (generated Argo) and v2 (bench/v2/chain-<steps>.yaml, compiled by the KFP SDK) run the
    same 20 busybox steps; all variants alternate in one run."""
    v2_yaml = pipelines.v2_pipeline("chain-%d" % steps)
    section = Section("1. Chain: %d sequential steps passing a parameter%s" % (
        steps, " (v1 Argo and v2 IR)" if v2_yaml else ""))
    yaml = bench.pipeline("chain-%d" % steps, pipelines.chain(steps))
    expected = "x" + "." * steps
    variants = {
        "kfrun pod": lambda: bench.kfrun(yaml, "--no-cache"),
        "raw pod": lambda: bench.raw("chain", "pod", steps, expect=expected),
        "kfrun bridge": lambda: bench.kfrun(yaml, "--no-cache", "--network", "bridge"),
        "raw bridge": lambda: bench.raw("chain", "bridge", steps, expect=expected),
        "docker run": lambda: bench.docker_chain(steps),
        # What every step paid before outputs were read from the layers.
        "kfrun pod, archive reads": lambda: bench.kfrun(
            yaml, "--no-cache", env={"KFRUN_OUTPUT_READS": "archive"}),
    }
    if v2_yaml:
        variants["kfrun v2 pod"] = lambda: bench.kfrun_v2(v2_yaml, "--no-cache")
        variants["kfrun v2 bridge"] = lambda: bench.kfrun_v2(v2_yaml, "--no-cache", "--network", "bridge")
    variants, reports = _keeping_reports(bench, variants, [n for n in variants if n.startswith("kfrun")])
    samples = measure.alternate(bench.rounds("chain"), variants)
    report = bench.report_json(reports["kfrun bridge"])
    if _step_output(report, "s%d" % (steps - 1)) != expected:
        raise measure.BenchError("kfrun's chain did not produce %r" % expected)
    if v2_yaml:
        v2_report = bench.report_json(reports["kfrun v2 bridge"])
        last = pipelines.v2_task("echo", steps - 1)
        if _step_output(v2_report, last) != expected:
            raise measure.BenchError("kfrun's v2 chain: %s did not output %r" % (last, expected))
    _ratio_row(section, "kfrun vs raw API, pod network", samples["kfrun pod"], samples["raw pod"], 1.10)
    _ratio_row(section, "kfrun vs raw API, bridge", samples["kfrun bridge"], samples["raw bridge"], 1.10)
    if v2_yaml:
        _ratio_row(section, "kfrun v2 IR vs raw API, pod network", samples["kfrun v2 pod"],
                   samples["raw pod"], 1.10)
        _ratio_row(section, "kfrun v2 IR vs raw API, bridge", samples["kfrun v2 bridge"],
                   samples["raw bridge"], 1.10)
        v2, v1 = median(samples["kfrun v2 pod"]), median(samples["kfrun pod"])
        section.row("kfrun v2 IR vs kfrun v1 Argo, pod network", "%s / %s" % (secs(v2), secs(v1)),
                    "%.2f×" % (v2 / v1))
    _ratio_row(section, "kfrun (pod) vs `docker run --rm` loop", samples["kfrun pod"],
               samples["docker run"], 0.50)
    before = median(samples["kfrun pod, archive reads"])
    section.row("before the fix: kfrun (pod) with outputs through `GET /archive`, vs raw API",
                "%s / %s" % (secs(before), secs(median(samples["raw pod"]))),
                "%.2f×" % (before / median(samples["raw pod"])))
    for name, values in samples.items():
        section.details.append("- %s: median %s (%s a step), min %s, max %s, n=%d" % (
            name, secs(median(values)), "%.0f ms" % (median(values) / steps * 1000),
            secs(min(values)), secs(max(values)), len(values)))
    section.details.append("- kfrun's own step timings (ms, medians, last v1 bridge run): "
                           + _step_timings(report))
    if v2_yaml:
        section.details.append("- kfrun's own step timings (ms, medians, last v2 bridge run): "
                               + _step_timings(v2_report))
    section.samples = samples
    return section


def fanout(bench, leaves=40, levels=(1, 2, 4, 8)):
    """v1 (generated Argo) and v2 (bench/v2/fanout-<leaves>.yaml) at each parallelism, alternately."""
    v2_yaml = pipelines.v2_pipeline("fanout-%d" % leaves)
    section = Section("2. Fan-out: %d independent steps + a join%s" % (
        leaves, " (v1 Argo and v2 IR)" if v2_yaml else ""))
    yaml = bench.pipeline("fanout-%d" % leaves, pipelines.fanout(leaves))
    variants = {}
    for p in levels:
        variants["kfrun P%d" % p] = lambda p=p: bench.kfrun(yaml, "--no-cache", "--parallelism", str(p))
        if v2_yaml:
            variants["kfrun v2 P%d" % p] = lambda p=p: bench.kfrun_v2(
                v2_yaml, "--no-cache", "--parallelism", str(p))
        variants["raw P%d" % p] = lambda p=p: bench.raw("fanout", "pod", leaves, parallel=p)
        variants["xargs P%d" % p] = lambda p=p: bench.docker_fanout(leaves, p)
    variants, reports = _keeping_reports(bench, variants, [n for n in variants if n.startswith("kfrun v2")])
    samples = measure.alternate(bench.rounds("fanout"), variants, warmup=False)
    if v2_yaml:
        v2_report = bench.report_json(reports["kfrun v2 P%d" % levels[-1]])
        first, last = pipelines.v2_task("leaf", 0), pipelines.v2_task("leaf", leaves - 1)
        got = (_step_output(v2_report, first), _step_output(v2_report, last))
        if got != ("0", str(leaves - 1)):
            raise measure.BenchError("kfrun's v2 fan-out: %s, %s output %r" % (first, last, got))
    for p in levels:
        _ratio_row(section, "P%d: kfrun vs raw API (same concurrency)" % p, samples["kfrun P%d" % p],
                   samples["raw P%d" % p], 1.15)
        if v2_yaml:
            _ratio_row(section, "P%d: kfrun v2 IR vs raw API (same concurrency)" % p,
                       samples["kfrun v2 P%d" % p], samples["raw P%d" % p], 1.15)
            v2, v1 = median(samples["kfrun v2 P%d" % p]), median(samples["kfrun P%d" % p])
            section.row("P%d: kfrun v2 IR vs kfrun v1 Argo" % p, "%s / %s" % (secs(v2), secs(v1)),
                        "%.2f×" % (v2 / v1))
        _ratio_row(section, "P%d: kfrun vs `xargs -P %d docker run`" % (p, p), samples["kfrun P%d" % p],
                   samples["xargs P%d" % p], 0.60)
    for name, values in samples.items():
        section.details.append("- %s: median %s, min %s, max %s, n=%d" % (
            name, secs(median(values)), secs(min(values)), secs(max(values)), len(values)))
    return section


def cached(bench, steps=100):
    section = Section("3. Cached re-run of a %d-step chain" % steps)
    long_yaml = bench.pipeline("cached-%d" % steps, pipelines.chain(steps))
    short_yaml = bench.pipeline("cached-1", pipelines.chain(1))
    cache_dir = bench.fresh_dir("cache")
    bench.kfrun(long_yaml, cache_dir=cache_dir)  # fills the cache
    bench.kfrun(short_yaml, cache_dir=cache_dir)
    since = "%.3f" % time.time()
    run_ids = set()

    long_report = []

    def cached_run(yaml):
        seconds = bench.kfrun(yaml, cache_dir=cache_dir)
        run_ids.add(bench.report_json(bench.last_report)["runId"])
        if yaml == long_yaml:
            long_report[:] = [bench.last_report]
        return seconds

    samples = measure.alternate(bench.rounds("cached"), {
        "cached %d" % steps: lambda: cached_run(long_yaml),
        "cached 1": lambda: cached_run(short_yaml),
        # What every run paid before the sandbox became lazy: start and remove one container.
        "sandbox start + remove": lambda: bench.raw("chain", "pod", 0, expect="x"),
    })
    created = _containers_created(since, run_ids)
    report = bench.report_json(long_report[0])
    hits = sum(1 for s in report["steps"] if str(s.get("cache", "")).lower() == "hit")
    total, one = median(samples["cached %d" % steps]), median(samples["cached 1"])
    section.row("whole `kfrun run` process, all %d steps cached" % steps, secs(total), "",
                "≤ 0.100 s", total <= 0.1)
    section.row("whole process, 1 cached step (fixed cost)", secs(one))
    section.row("cost per hit: (T%d − T1) / %d" % (steps, steps - 1),
                "%.2f ms" % ((total - one) / (steps - 1) * 1000))
    section.row("before the fix, every run also paid: a sandbox container's start + remove",
                secs(median(samples["sandbox start + remove"])))
    section.details.append("- the last %d-step run: %d of %d steps were cache hits; containers the "
                           "daemon created for all the timed runs: %s" % (steps, hits, len(report["steps"]),
                                                                          created))
    for name, values in samples.items():
        section.details.append("- %s: median %s, min %s, max %s, n=%d" % (
            name, secs(median(values)), secs(min(values)), secs(max(values)), len(values)))
    return section


def _containers_created(since, run_ids):
    """How many containers the daemon created for these runs since `since` (its events)."""
    try:
        out = subprocess.run(["docker", "events", "--since", since, "--until", "%.3f" % time.time(),
                              "--filter", "type=container", "--filter", "event=create", "--format",
                              '{{index .Actor.Attributes "org.kfrun.run"}}'],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return "?"
    return sum(1 for line in out.stdout.split() if line in run_ids)


def planning(bench):
    section = Section("4. Planning a generated 5,000-task DAG (fan-outs and loops)")
    workflow = pipelines.plan()
    tasks = len(workflow["spec"]["templates"][0]["dag"]["tasks"])
    yaml = bench.pipeline("plan", workflow)
    results = {"validate": [], "dry-run": []}

    def timed(name, argv):
        def action():
            seconds, rss, done = measure.run_with_rss(argv)
            results[name].append((seconds, rss, done.cpu_seconds))
            return seconds
        return action

    measure.alternate(bench.rounds("planning"), {
        "validate": timed("validate", [bench.kfrun_bin, "validate", yaml]),
        "dry-run": timed("dry-run", bench.kfrun_argv(yaml, "--dry-run")[0]),
    })
    for name, values in results.items():
        values = values[1:] if len(values) > 1 else values  # the warm-up
        seconds = median([v[0] for v in values])
        rss = max(v[1] for v in values)
        section.row("`kfrun %s`: time" % name, secs(seconds), "", "≤ 1 s", seconds <= 1.0)
        section.row("`kfrun %s`: peak RSS" % name, "%.0f MiB" % rss, "", "≤ 200 MiB", rss <= 200)
        section.details.append("- `kfrun %s`: CPU time (user + sys) median %s" % (
            name, secs(median([v[2] for v in values]))))
    section.details.append("- the pipeline: %d DAG tasks, %d pods once its loops are expanded, %.1f MiB "
                           "of YAML" % (tasks, tasks + 50 * 19, os.path.getsize(yaml) / 1048576))
    return section


def _host_source(kind, work, mib, files):
    """The same data as the step writes, made on the host: the source of `cp`."""
    path = os.path.join(work, "host-source-" + kind)
    if kind == "file":
        with open(path, "wb") as out:
            subprocess.run(["head", "-c", str(mib * 1024 * 1024), "/dev/urandom"], stdout=out,
                           check=True)
    else:
        os.makedirs(path)
        for i in range(files):
            with open(os.path.join(path, "f%d" % i), "w") as out:
                out.write("file %d\n" % i)
    return path


def _host_copy(source, kind, target):
    script = ('cp "$1" "$2" && sha256sum "$2" > /dev/null' if kind == "file" else
              'cp -r "$1" "$2" && find "$2" -type f -print0 | xargs -0 sha256sum > /dev/null')
    seconds, _ = measure.run(["bash", "-c", script, "copy", source, target])
    return seconds


def artifacts(bench, mib=1024, files=10000):
    """kfrun and the host copy alternate, and swap order every round. Nothing is deleted until a
    case's rounds are over, and each measured phase starts after a `sync`: this machine's ext4
    has no journal, and there creating files soon after many were deleted is several times
    slower (ext4's inode allocator skips recently deleted inodes one at a time,
    `recently_deleted`), which would hit whichever side ran first after a clean-up."""
    section = Section("5. Artifacts: container exit → outputs stored")
    cases = {"1 GiB file": (pipelines.artifact_file(mib), "file"),
             "%d-file directory" % files: (pipelines.artifact_tree(files), "tree")}
    tiny = bench.pipeline("artifact-none", pipelines.chain(1))
    for name, (workflow, kind) in cases.items():
        yaml = bench.pipeline("artifact-" + kind, workflow)
        source = _host_source(kind, bench.work, mib, files)
        rss, leftovers = [], [source]

        def kfrun_collect():
            data = bench.fresh_dir("artifact-data")
            argv, report_dir = bench.kfrun_argv(yaml, "--no-cache", data_dir=data)
            leftovers.extend([data, report_dir])
            os.sync()
            _, peak, _ = measure.run_with_rss(argv)
            rss.append(peak)
            step = [s for s in bench.report_json(report_dir)["steps"] if s["name"] == "write"][0]
            return step["timings"]["collectMs"] / 1000.0

        def host_copy():
            target = bench.fresh_dir("host-copy")
            leftovers.append(target)
            os.sync()
            return _host_copy(source, kind, os.path.join(target, "copy"))

        samples = measure.alternate(bench.rounds("artifacts"),
                                    {"kfrun": kfrun_collect, "host": host_copy},
                                    warmup=False, swap=True)
        for path in leftovers:
            _remove(path)
        _ratio_row(section, "%s: kfrun collect vs host `cp` + `sha256sum`" % name,
                   samples["kfrun"], samples["host"], 1.3)
        section.row("%s: kfrun peak RSS" % name, "%.0f MiB" % max(rss), "", "≤ 64 MiB", max(rss) <= 64)
        section.details.append("- %s: kfrun collect %s s; host %s s" % (
            name, ", ".join("%.3f" % x for x in samples["kfrun"]),
            ", ".join("%.3f" % x for x in samples["host"])))
    _, base_rss, _ = measure.run_with_rss(bench.kfrun_argv(tiny, "--no-cache")[0])
    section.row("1-step run without artifacts: kfrun peak RSS (baseline)", "%.0f MiB" % base_rss)
    return section


def _remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.remove(path)


def micro(bench):
    section = Section("6. Micro-benchmarks (Google Benchmark, the engine's own functions)")
    _, done = measure.run([bench.micro, "--benchmark_format=json"])
    for result in json.loads(done.stdout)["benchmarks"]:
        section.row(result["name"], "%.0f ns" % result["real_time"] if result["time_unit"] == "ns"
                    else "%.2f %s" % (result["real_time"], result["time_unit"]))
    return section

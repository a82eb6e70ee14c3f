"""Runs what the benchmark sections compare: kfrun, the raw Engine-API loop and the docker CLI,
each as a whole process in a fresh directory; and Section, the rows a section reports."""

import json
import os
import shutil

import measure
import pipelines

ROUNDS = {"chain": (5, 2), "fanout": (3, 1), "cached": (10, 3), "planning": (3, 1),
          "artifacts": (4, 2)}


class Section:
    def __init__(self, title):
        self.title = title
        self.rows = []     # (measurement, value text, ratio text, target text, met: bool|None)
        self.details = []  # lines of Markdown

    def row(self, measurement, value, ratio="", target="", met=None):
        self.rows.append((measurement, value, ratio, target, met))


def secs(value):
    return "%.3f s" % value


class Bench:
    def __init__(self, kfrun, raw_loop, micro, workdir, quick):
        self.kfrun_bin = kfrun
        self.raw_loop = raw_loop
        self.micro = micro
        self.work = workdir
        self.quick = quick
        self.counter = 0
        self.data_dir = os.path.join(workdir, "data")
        self.cache_dir = os.path.join(workdir, "cache")

    def rounds(self, section):
        full, quick = ROUNDS[section]
        return quick if self.quick else full

    def fresh_dir(self, name):
        self.counter += 1
        path = os.path.join(self.work, "%s-%d" % (name, self.counter))
        os.makedirs(path)
        return path

    def pipeline(self, name, workflow):
        return pipelines.write(os.path.join(self.work, name + ".yaml"), workflow)

    def kfrun_argv(self, pipeline, *flags, data_dir=None, cache_dir=None):
        report = self.fresh_dir("run")
        return [self.kfrun_bin, "run", pipeline, "-q", "--no-color", "--report-dir", report,
                "--data-dir", data_dir or self.data_dir, "--cache-dir", cache_dir or self.cache_dir,
                *flags], report

    def kfrun(self, pipeline, *flags, env=None, **dirs):
        argv, report = self.kfrun_argv(pipeline, *flags, **dirs)
        seconds, _ = measure.run(argv, env=dict(os.environ, **env) if env else None)
        shutil.rmtree(os.path.join(report, "artifacts"), ignore_errors=True)
        self.last_report = report
        return seconds

    def kfrun_v2(self, pipeline, *flags, **kwargs):
        """A run of a compiled v2 IR file (bench/v2/): its `busybox:1.36` is mapped to the
        fixture image v1's pipelines name directly, so both run the same image."""
        return self.kfrun(pipeline, "--image-map", "%s=%s" % (pipelines.V2_IMAGE, pipelines.BUSYBOX),
                          *flags, **kwargs)

    def report_json(self, report_dir):
        with open(os.path.join(report_dir, "report.json")) as source:
            return json.load(source)

    def raw(self, mode, network, steps, parallel=1, expect=None):
        outdir = self.fresh_dir("raw")
        seconds, done = measure.run([self.raw_loop, mode, pipelines.BUSYBOX, network, str(steps),
                                     outdir, str(parallel)])
        if expect is not None and done.stdout.strip() != expect:
            raise measure.BenchError("raw_api_loop %s printed %r" % (mode, done.stdout))
        shutil.rmtree(outdir, ignore_errors=True)
        return seconds

    def docker_chain(self, steps):
        outdir = self.fresh_dir("cli")
        script = ('v=x; for i in $(seq %d); do docker run --rm -v "$1":/out %s sh -c '
                  '\'printf "%%s." "$0" > /out/v\' "$v"; v=$(cat "$1/v"); done; echo "$v"'
                  % (steps, pipelines.BUSYBOX))
        seconds, done = measure.run(["bash", "-c", script, "chain", outdir])
        if done.stdout.strip() != "x" + "." * steps:
            raise measure.BenchError("docker run chain printed %r" % done.stdout)
        shutil.rmtree(outdir, ignore_errors=True)
        return seconds

    def docker_fanout(self, leaves, parallel):
        outdir = self.fresh_dir("cli")
        script = ('seq 0 %d | xargs -P %d -I{} docker run --rm -v "$1":/out %s sh -c '
                  '\'echo "$0" > /out/leaf$0\' {} && docker run --rm -v "$1":/out %s sh -c '
                  '\'echo "$0 $1"\' "$(cat "$1/leaf0")" "$(cat "$1/leaf%d")"'
                  % (leaves - 1, parallel, pipelines.BUSYBOX, pipelines.BUSYBOX, leaves - 1))
        seconds, _ = measure.run(["bash", "-c", script, "fanout", outdir])
        shutil.rmtree(outdir, ignore_errors=True)
        return seconds

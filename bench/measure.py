"""Running and timing the benchmark's commands: wall time of whole processes, peak RSS through
GNU time, medians and ratios, the machine's description."""

import os
import platform
import re
import statistics
import subprocess
import time


class BenchError(Exception):
    pass


def run(argv, env=None, check=True, capture=True):
    """Runs argv to its end; returns (seconds, completed process)."""
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if check and done.returncode != 0:
        raise BenchError("%s exited with %d:\n%s%s" % (" ".join(argv[:4]), done.returncode,
                                                       (done.stdout or "")[-2000:], done.stderr[-2000:]))
    return seconds, done


def run_with_rss(argv, env=None):
    """Runs argv under GNU time; returns (seconds, peak RSS in MiB, completed process)."""
    seconds, done = run(["/usr/bin/time", "-v"] + argv, env=env)
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if not match:
        raise BenchError("no RSS in /usr/bin/time output: " + done.stderr[-500:])
    cpu = sum(float(value) for value in
              re.findall(r"(?:User|System) time \(seconds\): ([0-9.]+)", done.stderr))
    done.cpu_seconds = cpu
    return seconds, int(match.group(1)) / 1024.0, done


def median(values):
    return statistics.median(values) if values else float("nan")


def alternate(rounds, variants, warmup=True, swap=False):
    """Runs each variant (name → callable returning seconds) once per round, in turn, so that
    load drifts hit all of them alike; `swap` reverses the order every other round, for variants
    that leave the machine in a state the next one pays for. Returns name → list of seconds
    (warm-up not kept)."""
    samples = {name: [] for name in variants}
    if warmup:
        for name, action in variants.items():
            action()
    for index in range(rounds):
        order = list(variants.items())
        if swap and index % 2 == 1:
            order.reverse()
        for name, action in order:
            samples[name].append(action())
    return samples


def speed_probe(kfrun):
    """How fast this machine is right now, for reading absolute times across runs (its speed
    drifts with its host's load): medians of a fixed Python loop and of `kfrun --version`."""
    loops, starts = [], []
    for _ in range(5):
        started = time.perf_counter()
        sum(range(5_000_000))
        loops.append(time.perf_counter() - started)
    for _ in range(10):
        seconds, _ = run([kfrun, "--version"])
        starts.append(seconds)
    return median(loops), median(starts)


def load_average():
    return os.getloadavg()


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = "?"
    try:
        with open("/proc/meminfo") as info:
            kib = int(info.readline().split()[1])
            memory = "%.1f GiB" % (kib / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    docker = subprocess.run(["docker", "version", "--format",
                             "{{.Server.Version}} (API {{.Server.APIVersion}})"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    storage = subprocess.run(["docker", "info", "--format", "{{.Driver}}, cgroup v{{.CgroupVersion}}"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    os_name = "?"
    try:
        with open("/etc/os-release") as release:
            for line in release:
                if line.startswith("PRETTY_NAME="):
                    os_name = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "kernel": platform.release(),
        "OS": os_name,
        "Docker": "%s; %s" % (docker or "?", storage or "?"),
    }

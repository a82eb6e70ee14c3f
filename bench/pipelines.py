"""The generated pipelines of the benchmarks: compiled-KFP-v1-shaped Argo Workflows, written as
block YAML as the KFP compiler writes them. Every container step runs `busybox`. The v2 IR
versions of `chain(20)` and `fanout(40)` are not generated: the real KFP compiler wrote them into
bench/v2/ from examples/src/v2/bench_shapes.py (see `v2_pipeline`)."""

import json
import os

BUSYBOX = "kfrun-fixtures/busybox:1"

# The image bench/v2/*.yaml name; runs map it to BUSYBOX (`--image-map`, see runner.Bench.kfrun_v2).
V2_IMAGE = "busybox:1.36"
V2_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "v2")


def _workflow(name, templates, entrypoint="main"):
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": name + "-",
                     "annotations": {"pipelines.kubeflow.org/kfp_sdk_version": "1.8.22"}},
        "spec": {"entrypoint": entrypoint, "templates": templates},
    }


def _echo_template():
    """Appends a dot to its input parameter and returns it as an output parameter."""
    return {
        "name": "echo",
        "inputs": {"parameters": [{"name": "text"}]},
        "container": {
            "image": BUSYBOX,
            "command": ["sh", "-c", 'printf "%s." "$0" > /tmp/out', "{{inputs.parameters.text}}"],
        },
        "outputs": {"parameters": [{"name": "out", "valueFrom": {"path": "/tmp/out"}}]},
    }


def chain(steps):
    """`steps` tasks in sequence, each passing its output parameter to the next."""
    tasks = []
    for i in range(steps):
        text = "x" if i == 0 else "{{tasks.s%d.outputs.parameters.out}}" % (i - 1)
        task = {"name": "s%d" % i, "template": "echo",
                "arguments": {"parameters": [{"name": "text", "value": text}]}}
        if i > 0:
            task["dependencies"] = ["s%d" % (i - 1)]
        tasks.append(task)
    return _workflow("chain-%d" % steps, [{"name": "main", "dag": {"tasks": tasks}}, _echo_template()])


def fanout(leaves):
    """`leaves` independent tasks writing their index, then a join reading the first and last."""
    leaf = {
        "name": "leaf",
        "inputs": {"parameters": [{"name": "i"}]},
        "container": {"image": BUSYBOX,
                      "command": ["sh", "-c", 'echo "$0" > /tmp/out', "{{inputs.parameters.i}}"]},
        "outputs": {"parameters": [{"name": "out", "valueFrom": {"path": "/tmp/out"}}]},
    }
    join = {
        "name": "join",
        "inputs": {"parameters": [{"name": "a"}, {"name": "b"}]},
        "container": {"image": BUSYBOX,
                      "command": ["sh", "-c", 'echo "$0 $1"', "{{inputs.parameters.a}}",
                                  "{{inputs.parameters.b}}"]},
    }
    tasks = [{"name": "leaf-%d" % i, "template": "leaf",
              "arguments": {"parameters": [{"name": "i", "value": str(i)}]}} for i in range(leaves)]
    tasks.append({
        "name": "join", "template": "join",
        "dependencies": ["leaf-%d" % i for i in range(leaves)],
        "arguments": {"parameters": [
            {"name": "a", "value": "{{tasks.leaf-0.outputs.parameters.out}}"},
            {"name": "b", "value": "{{tasks.leaf-%d.outputs.parameters.out}}" % (leaves - 1)}]},
    })
    return _workflow("fanout-%d" % leaves, [{"name": "main", "dag": {"tasks": tasks}}, leaf, join])


def v2_pipeline(name):
    """The compiled v2 IR file bench/v2/<name>.yaml (`chain-20`, `fanout-40`), or None. Same
    shapes as `chain(20)` and `fanout(40)`, with the compiler's names and KFP v2's output files:
    - chain-20: tasks `echo`, `echo-2` … `echo-20` (v1: s0 … s19), each `printf "%s." "$0" > "$1"`
      with $1 the output parameter file (v1: /tmp/out); the first gets the constant `x`, each
      next one the previous one's `out` and a `dependentTasks` edge on it.
    - fanout-40: `leaf`, `leaf-2` … `leaf-40` (v1: leaf-0 … leaf-39) with `i` = 0 … 39, written
      with printf, no newline (v1's `echo` adds one, which Argo trims and KFP v2 would keep),
      then `join` after all 40 (`.after()`), reading `leaf`'s and `leaf-40`'s `out`.
    Each task has its own component and executor (the compiler writes one per call), where v1
    shares one template: kfrun makes one container template per v2 task either way."""
    path = os.path.join(V2_DIR, name + ".yaml")
    return path if os.path.isfile(path) else None


def v2_task(base, index):
    """The compiler's name for the index-th (0-based) call of a component: echo, echo-2, …"""
    return base if index == 0 else "%s-%d" % (base, index + 1)


def plan(groups=50, fan=97, loop_items=20):
    """A DAG of groups × (root + `fan` fan-out tasks + a withItems loop task + join) tasks —
    5,000 tasks and 5,950 pods by default — where each group's root waits for the previous
    group's join."""
    tasks = []
    for g in range(groups):
        root = "g%d-root" % g
        root_task = {"name": root, "template": "echo",
                     "arguments": {"parameters": [{"name": "text", "value": "g%d" % g}]}}
        if g > 0:
            root_task["dependencies"] = ["g%d-join" % (g - 1)]
        tasks.append(root_task)
        members = []
        for f in range(fan):
            name = "g%d-f%d" % (g, f)
            members.append(name)
            tasks.append({"name": name, "template": "echo", "dependencies": [root],
                          "arguments": {"parameters": [{"name": "text",
                                                        "value": "{{tasks.%s.outputs.parameters.out}}" % root}]}})
        loop = "g%d-loop" % g
        members.append(loop)
        tasks.append({"name": loop, "template": "echo", "dependencies": [root],
                      "withItems": [str(i) for i in range(loop_items)],
                      "arguments": {"parameters": [{"name": "text", "value": "{{item}}"}]}})
        tasks.append({"name": "g%d-join" % g, "template": "echo", "dependencies": members,
                      "when": '"{{tasks.%s.outputs.parameters.out}}" != "stop"' % root,
                      "arguments": {"parameters": [{"name": "text", "value": "join"}]}})
    return _workflow("plan-%d" % len(tasks), [{"name": "main", "dag": {"tasks": tasks}}, _echo_template()])


def artifact_file(mib):
    """One step writing `mib` MiB of random bytes as an output artifact."""
    step = {"name": "write", "container": {
        "image": BUSYBOX,
        "command": ["sh", "-c", "head -c %d /dev/urandom > /tmp/blob" % (mib * 1024 * 1024)]},
        "outputs": {"artifacts": [{"name": "blob", "path": "/tmp/blob"}]}}
    return _workflow("artifact-file", [{"name": "main", "dag": {"tasks": [
        {"name": "write", "template": "write"}]}}, step])


def artifact_tree(files):
    """One step writing a directory of `files` small files as an output artifact."""
    script = ("mkdir -p /tmp/tree && cd /tmp/tree && i=0; while [ $i -lt %d ]; do "
              "echo \"file $i\" > f$i; i=$((i+1)); done" % files)
    step = {"name": "write", "container": {"image": BUSYBOX, "command": ["sh", "-c", script]},
            "outputs": {"artifacts": [{"name": "tree", "path": "/tmp/tree"}]}}
    return _workflow("artifact-tree", [{"name": "main", "dag": {"tasks": [
        {"name": "write", "template": "write"}]}}, step])


def _yaml_lines(value, indent):
    """Block YAML; every string double-quoted (JSON escapes are valid YAML escapes)."""
    pad = "  " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                yield pad + key + ":"
                yield from _yaml_lines(item, indent + 1)
            else:
                yield pad + key + ": " + _scalar(item)
    else:
        for item in value:
            if isinstance(item, (dict, list)) and item:
                lines = list(_yaml_lines(item, indent + 1))
                yield pad + "- " + lines[0].lstrip()
                yield from lines[1:]
            else:
                yield pad + "- " + _scalar(item)


def _scalar(value):
    if isinstance(value, (dict, list)):
        return "{}" if isinstance(value, dict) else "[]"
    return json.dumps(value)


def write(path, workflow):
    with open(path, "w") as out:
        out.write("\n".join(_yaml_lines(workflow, 0)) + "\n")
    return path

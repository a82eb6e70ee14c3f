#!/usr/bin/env python3
"""Compiles the KFP v2 pipeline sources of this folder with the real KFP SDK and writes each
compiled IR YAML where the source's OUTPUTS table says, with a first line naming the compiler.

Developer step only (tests never run it): the KFP SDK is not installed here; COMPILING.md says
how to make it importable from a kubeflow/pipelines snapshot. Usage, from the repository root:

    python3 examples/src/v2/compile.py                 # every source of this folder
    python3 examples/src/v2/compile.py v2_hello.py ...  # only these

Each source module defines OUTPUTS = {'<path from the repo root>': (pipeline_func, kwargs)},
where kwargs go to kfp.compiler.Compiler().compile (pipeline_name, pipeline_parameters, ...).
"""

import importlib.util
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def _kfp_source_commit():
    """The kubeflow/pipelines commit the SDK was taken from: KFP_SOURCE_COMMIT, else the
    snapshot's HEAD as COMPILING.md lays it out."""
    commit = os.environ.get('KFP_SOURCE_COMMIT')
    if commit:
        return commit[:12]
    git_dir = os.environ.get('KFP_GIT_DIR', '/work/.mirror/kubeflow+pipelines/repo')
    out = subprocess.run(['git', '--git-dir', git_dir, 'rev-parse', 'HEAD'],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()[:12]


def _load(path):
    name = 'kfrun_v2_src_' + os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_references(path):
    """Fails when a compiled file refers to something it does not define: a task's component,
    a component's executor, a DAG output's or an input's producer task. (The SDK can write such
    files: a nested pipeline whose group names collide with the outer ones gets merged wrongly.)"""
    import yaml
    with open(path) as f:
        spec = next(yaml.safe_load_all(f))
    components = spec.get('components', {})
    executors = spec.get('deploymentSpec', {}).get('executors', {})
    problems = []

    def check_dag(where, dag):
        tasks = dag.get('tasks', {})
        for name, task in tasks.items():
            ref = task['componentRef']['name']
            if ref not in components:
                problems.append('%s task %s: no component %s' % (where, name, ref))
            for dep in task.get('dependentTasks', []):
                if dep not in tasks:
                    problems.append('%s task %s: no upstream %s' % (where, name, dep))
            for kind in ('parameters', 'artifacts'):
                for key, value in task.get('inputs', {}).get(kind, {}).items():
                    for field in ('taskOutputParameter', 'taskOutputArtifact'):
                        producer = value.get(field, {}).get('producerTask')
                        if producer and producer not in tasks:
                            problems.append('%s task %s input %s: no producer %s'
                                            % (where, name, key, producer))
        outputs = dag.get('outputs', {})
        selectors = []
        for value in outputs.get('parameters', {}).values():
            if 'valueFromParameter' in value:
                selectors.append(value['valueFromParameter'])
            selectors += value.get('valueFromOneof', {}).get('parameterSelectors', [])
        for value in outputs.get('artifacts', {}).values():
            selectors += value.get('artifactSelectors', [])
        for selector in selectors:
            if selector['producerSubtask'] not in tasks:
                problems.append('%s output: no subtask %s' % (where, selector['producerSubtask']))

    check_dag('root', spec['root']['dag'])
    for name, component in components.items():
        if 'dag' in component:
            check_dag(name, component['dag'])
        elif component.get('executorLabel') not in executors:
            problems.append('%s: no executor %s' % (name, component.get('executorLabel')))
    if problems:
        raise SystemExit('%s is inconsistent:\n  %s' % (path, '\n  '.join(problems)))


def compile_source(path, header_of):
    from kfp import compiler
    module = _load(path)
    written = []
    for target, (func, kwargs) in module.OUTPUTS.items():
        out = os.path.join(ROOT, target)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        compiler.Compiler().compile(func, out, **kwargs)
        with open(out) as f:
            body = f.read()
        rel_src = os.path.relpath(path, ROOT)
        with open(out, 'w') as f:
            f.write(header_of(rel_src) + '\n' + body)
        check_references(out)
        written.append(target)
    return written


def main(argv):
    import kfp
    commit = _kfp_source_commit()

    def header_of(src):
        return ('# compiled by the KFP SDK %s (kubeflow/pipelines@%s, sdk/python run from source) '
                'from %s' % (kfp.__version__, commit, src))

    names = argv or sorted(n for n in os.listdir(HERE)
                           if n.endswith('.py') and n != 'compile.py')
    for name in names:
        for target in compile_source(os.path.join(HERE, os.path.basename(name)), header_of):
            print('%s -> %s' % (name, target))


if __name__ == '__main__':
    main(sys.argv[1:])

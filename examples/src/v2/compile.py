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

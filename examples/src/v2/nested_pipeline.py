# Test fixture: pipelines used as components (two levels deep), whose outputs (a parameter and
# an artifact) are DAG outputs consumed by a later task and returned by the pipeline.
# Defaults x=2, y=5: total = (2+5)+10 = 17, report = "total=17 doc=written by the inner pipeline".
from typing import NamedTuple

from kfp import dsl

BUSYBOX = 'busybox:1.36'


@dsl.container_component
def add(a: int, b: int, total: dsl.OutputPath(int)):
    return dsl.ContainerSpec(image=BUSYBOX,
                             command=['sh', '-ec', 'echo $(($1 + $2)) > "$3"; cat "$3"', 'add'],
                             args=[a, b, total])


@dsl.container_component
def write_doc(text: str, doc: dsl.Output[dsl.Dataset]):
    return dsl.ContainerSpec(image=BUSYBOX,
                             command=['sh', '-ec', 'printf "%s" "$1" > "$2"', 'write-doc'],
                             args=[text, doc.path])


@dsl.container_component
def show(n: int, doc: dsl.Input[dsl.Dataset], report: dsl.OutputPath(str)):
    return dsl.ContainerSpec(
        image=BUSYBOX,
        command=['sh', '-ec', 'printf "total=%s doc=%s" "$1" "$(cat "$2")" > "$3"; cat "$3"',
                 'show'],
        args=[n, doc.path, report])


@dsl.pipeline
def adder(a: int, b: int) -> int:
    return add(a=a, b=b).outputs['total']


@dsl.pipeline
def inner(a: int, b: int) -> NamedTuple('Outputs', total=int, doc=dsl.Dataset):
    summed = adder(a=a, b=b)
    written = write_doc(text='written by the inner pipeline')
    outputs = NamedTuple('Outputs', total=int, doc=dsl.Dataset)
    return outputs(total=summed.output, doc=written.outputs['doc'])


@dsl.pipeline(name='nested-pipeline')
def nested_pipeline(x: int = 2, y: int = 5) -> NamedTuple('Outputs', total=int, report=str):
    first = inner(a=x, b=y)
    second = inner(a=first.outputs['total'], b=10)
    shown = show(n=second.outputs['total'], doc=first.outputs['doc'])
    outputs = NamedTuple('Outputs', total=int, report=str)
    return outputs(total=second.outputs['total'], report=shown.outputs['report'])


OUTPUTS = {'fixtures/kfp-v2/nested_pipeline.yaml': (nested_pipeline, {})}

# Test fixture: dsl.OneOf over the outputs (a parameter and an artifact) of If/Else branches,
# consumed directly by a task, and returned from a nested pipeline.
# Default side=heads: pipeline outputs said = "it was heads", from_inner = "inner: heads";
# with -p side=tails: "it was tails", "inner: tails".
from typing import NamedTuple

from kfp import dsl

BUSYBOX = 'busybox:1.36'


@dsl.container_component
def flip(side: str, out: dsl.OutputPath(str)):
    return dsl.ContainerSpec(image=BUSYBOX,
                             command=['sh', '-ec', 'printf "%s" "$1" > "$2"', 'flip'],
                             args=[side, out])


@dsl.container_component
def announce(text: str, out: dsl.OutputPath(str), note: dsl.Output[dsl.Artifact]):
    return dsl.ContainerSpec(
        image=BUSYBOX,
        command=['sh', '-ec', 'printf "it was %s" "$1" > "$2"; printf "note: %s" "$1" > "$3"',
                 'announce'],
        args=[text, out, note.path])


@dsl.container_component
def echo_both(text: str, note: dsl.Input[dsl.Artifact], out: dsl.OutputPath(str)):
    return dsl.ContainerSpec(
        image=BUSYBOX,
        command=['sh', '-ec', 'printf "%s / %s" "$1" "$(cat "$2")" > "$3"; cat "$3"',
                 'echo-both'],
        args=[text, note.path, out])


@dsl.pipeline
def branches(side: str) -> str:
    flipped = flip(side=side)
    with dsl.If(flipped.output == 'heads'):
        heads = flip(side='inner: heads')
    with dsl.Else():
        tails = flip(side='inner: tails')
    return dsl.OneOf(heads.output, tails.output)


@dsl.pipeline(name='oneof')
def oneof(side: str = 'heads') -> NamedTuple('Outputs', said=str, from_inner=str):
    flipped = flip(side=side)
    with dsl.If(flipped.output == 'heads'):
        heads = announce(text='heads')
    with dsl.Else():
        tails = announce(text='tails')
    echo_both(text=dsl.OneOf(heads.outputs['out'], tails.outputs['out']),
              note=dsl.OneOf(heads.outputs['note'], tails.outputs['note']))
    inner = branches(side=side)
    outputs = NamedTuple('Outputs', said=str, from_inner=str)
    return outputs(said=dsl.OneOf(heads.outputs['out'], tails.outputs['out']),
                   from_inner=inner.output)


OUTPUTS = {'fixtures/kfp-v2/oneof.yaml': (oneof, {})}

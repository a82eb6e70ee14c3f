# Test fixtures: dsl.OneOf over the outputs (a parameter and an artifact) of If/Else branches.
# oneof.yaml: consumed directly by a task and returned by the pipeline. Default side=heads:
#   echo-both writes "it was heads / note: heads", pipeline output said = "it was heads";
#   with -p side=tails: "it was tails / note: tails" and "it was tails".
# oneof_nested.yaml: returned from a nested pipeline (a DAG output chosen by valueFromOneof) and
#   consumed by the outer pipeline. Default side=heads: echo-text writes "inner: heads", and so
#   the pipeline output; -p side=tails: "inner: tails".
# The two are separate files because the SDK mis-merges a nested pipeline whose If/Else groups
# have the same generated names (condition-branches-1, condition-2 …) as the outer pipeline's:
# components of both end up in one entry, differently on each compile (kfp#11484 reports the
# same bug for ParallelFor groups).
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


@dsl.container_component
def echo_text(text: str, out: dsl.OutputPath(str)):
    return dsl.ContainerSpec(image=BUSYBOX,
                             command=['sh', '-ec', 'printf "%s" "$1" > "$2"; cat "$2"',
                                      'echo-text'],
                             args=[text, out])


@dsl.pipeline(name='oneof')
def oneof(side: str = 'heads') -> str:
    flipped = flip(side=side)
    with dsl.If(flipped.output == 'heads'):
        heads = announce(text='heads')
    with dsl.Else():
        tails = announce(text='tails')
    echo_both(text=dsl.OneOf(heads.outputs['out'], tails.outputs['out']),
              note=dsl.OneOf(heads.outputs['note'], tails.outputs['note']))
    return dsl.OneOf(heads.outputs['out'], tails.outputs['out'])


@dsl.pipeline
def branches(side: str) -> str:
    flipped = flip(side=side)
    with dsl.If(flipped.output == 'heads'):
        heads = flip(side='inner: heads')
    with dsl.Else():
        tails = flip(side='inner: tails')
    return dsl.OneOf(heads.output, tails.output)


@dsl.pipeline(name='oneof-nested')
def oneof_nested(side: str = 'heads') -> str:
    inner = branches(side=side)
    return echo_text(text=inner.output).outputs['out']


OUTPUTS = {
    'fixtures/kfp-v2/oneof.yaml': (oneof, {}),
    'fixtures/kfp-v2/oneof_nested.yaml': (oneof_nested, {}),
}

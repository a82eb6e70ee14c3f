# The benchmark pipelines of bench/ (bench/pipelines.py builds the v1 ones) as KFP v2 IR written
# by the real compiler: the same shapes and the same busybox commands, so a v2 step can be timed
# against a v1 step. Compiled by compile.py into bench/v2/. Results: chain-20's last task (echo-20)
# outputs "x" followed by 20 dots; fanout-40's tasks leaf, leaf-2 … leaf-40 output "0" … "39" and
# join prints "0 39".
from kfp import dsl

BUSYBOX = 'busybox:1.36'


@dsl.container_component
def echo(text: str, out: dsl.OutputPath(str)):
    # bench/pipelines.py's `echo` template: appends a dot to its input, returns it.
    return dsl.ContainerSpec(image=BUSYBOX,
                             command=['sh', '-c', 'printf "%s." "$0" > "$1"'],
                             args=[text, out])


@dsl.container_component
def leaf(i: str, out: dsl.OutputPath(str)):
    # v1's leaf runs `echo "$0" > /tmp/out`; Argo trims the newline off an output parameter but
    # KFP v2 keeps a STRING output as written, so printf (no newline) keeps join's line "0 39".
    return dsl.ContainerSpec(image=BUSYBOX,
                             command=['sh', '-c', 'printf "%s" "$0" > "$1"'],
                             args=[i, out])


@dsl.container_component
def join(a: str, b: str):
    return dsl.ContainerSpec(image=BUSYBOX,
                             command=['sh', '-c', 'echo "$0 $1"'],
                             args=[a, b])


def chain(steps):
    @dsl.pipeline(name='chain-%d' % steps)
    def pipeline():
        text = 'x'
        for _ in range(steps):
            text = echo(text=text).outputs['out']
    return pipeline


def fanout(leaves):
    @dsl.pipeline(name='fanout-%d' % leaves)
    def pipeline():
        tasks = [leaf(i=str(i)) for i in range(leaves)]
        join(a=tasks[0].outputs['out'], b=tasks[-1].outputs['out']).after(*tasks)
    return pipeline


OUTPUTS = {
    'bench/v2/chain-20.yaml': (chain(20), {}),
    'bench/v2/fanout-40.yaml': (fanout(40), {}),
}

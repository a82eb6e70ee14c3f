# kfrun's first KFP v2 example: container components only (busybox and python images, which
# kfrun maps to its fixture images with fixtures/image-map.txt), so it runs with no pip install.
# Compiled to examples/v2-hello.yaml by compile.py (see COMPILING.md). Deterministic: with the
# defaults the pipeline's output is "HELLO x3 (scale 2.5); 3 lines", join-colors writes
# "red!, green!, blue!", and only the `medium` branch runs.
from kfp import dsl

BUSYBOX = 'busybox:1.36'
PYTHON = 'python:3.11'

MAKE_GREETING = '''
greeting="$1"
if [ "$4" = true ]; then greeting=$(echo "$greeting" | tr a-z A-Z); fi
printf '%s x%s (scale %s)' "$greeting" "$2" "$3" > "$5"
printf '%s' "$2" > "$6"
: > "$7"
i=1
while [ "$i" -le "$2" ]; do echo "$greeting $i" >> "$7"; i=$((i + 1)); done
cat "$7"
'''


@dsl.container_component
def make_greeting(greeting: str, count: int, scale: float, shout: bool,
                  line: dsl.OutputPath(str), size: dsl.OutputPath(int),
                  data: dsl.Output[dsl.Dataset]):
    return dsl.ContainerSpec(
        image=BUSYBOX,
        command=['sh', '-ec', MAKE_GREETING, 'make-greeting'],
        args=[greeting, count, scale, shout, line, size, data.path])


@dsl.container_component
def read_greeting(line: str, data: dsl.Input[dsl.Dataset], summary: dsl.OutputPath(str)):
    return dsl.ContainerSpec(
        image=BUSYBOX,
        command=['sh', '-ec',
                 'cat "$2"; printf "%s; %s lines" "$1" "$(wc -l < "$2")" > "$3"; cat "$3"',
                 'read-greeting'],
        args=[line, data.path, summary])


@dsl.container_component
def say(text: str):
    return dsl.ContainerSpec(image=BUSYBOX, command=['echo'], args=[text])


@dsl.container_component
def shout_color(color: str, out: dsl.OutputPath(str)):
    return dsl.ContainerSpec(
        image=BUSYBOX,
        command=['sh', '-ec', 'printf "%s!" "$1" > "$2"; cat "$2"', 'shout-color'],
        args=[color, out])


@dsl.container_component
def join_colors(items: list, joined: dsl.OutputPath(str)):
    return dsl.ContainerSpec(
        image=PYTHON,
        command=['python3', '-c',
                 'import json, sys\n'
                 'text = ", ".join(json.loads(sys.argv[1]))\n'
                 'open(sys.argv[2], "w").write(text)\n'
                 'print(text)\n'],
        args=[items, joined])


@dsl.container_component
def final_status(status: dsl.PipelineTaskFinalStatus):
    return dsl.ContainerSpec(image=BUSYBOX, command=['echo', 'final status:'], args=[status])


@dsl.pipeline(name='v2-hello',
              description='Typed inputs, parameter and artifact passing, If/Elif/Else, a '
              'ParallelFor with Collected and an exit handler, on container components.')
def v2_hello(greeting: str = 'hello',
             count: int = 3,
             scale: float = 2.5,
             shout: bool = True,
             colors: list = ['red', 'green', 'blue']
            ) -> str:
    # The SDK refuses a pipeline output returned from inside an ExitHandler, and a task outside
    # the handler consuming a task inside it, so the two tasks the pipeline's output comes from
    # stand before the handler.
    made = make_greeting(greeting=greeting, count=count, scale=scale, shout=shout)
    read = read_greeting(line=made.outputs['line'], data=made.outputs['data'])
    exit_task = final_status()
    with dsl.ExitHandler(exit_task):
        with dsl.If(made.outputs['size'] > 5):
            say(text='big')
        with dsl.Elif(made.outputs['size'] >= 2):
            say(text='medium')
        with dsl.Else():
            say(text='small')
        with dsl.ParallelFor(colors, parallelism=2) as color:
            shouted = shout_color(color=color)
        join_colors(items=dsl.Collected(shouted.outputs['out']))
    return read.outputs['summary']


OUTPUTS = {
    'examples/v2-hello.yaml': (v2_hello, {}),
    # what kfp.compiler writes for a single component (for `kfrun run-component`)
    'fixtures/kfp-v2/component_make_greeting.yaml': (make_greeting, {}),
}

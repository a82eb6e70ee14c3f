# Test fixture: IfPresent and Concat placeholders, an f-string constant, and a pipeline-job
# placeholder constant. Each `greet` task writes (and prints) its argv after the output path,
# joined by spaces, to its output `text`. Expected with the defaults (title not given):
#   greet       (title absent)      -> "(no title) dear Ada"
#   greet-2     (title 'Dr')        -> "Dr. dear Grace"
#   greet-3     (f-string)          -> "(no title) dear Ada-Lovelace"
#   greet-4     (task name const)   -> "(no title) dear greet-4"
#   repeat      (times not passed)  -> "hey hey" (the component default 2 fills the argument)
# With -p title=Prof, greet becomes "Prof. dear Ada" (the others do not change).
from typing import Optional

from kfp import dsl

BUSYBOX = 'busybox:1.36'


@dsl.container_component
def greet(name: str, text: dsl.OutputPath(str), title: Optional[str] = None):
    return dsl.ContainerSpec(
        image=BUSYBOX,
        command=['sh', '-ec', 'out="$1"; shift; printf "%s" "$*" > "$out"; cat "$out"', 'greet'],
        args=[
            text,
            dsl.IfPresentPlaceholder(input_name='title',
                                     then=[dsl.ConcatPlaceholder([title, '.'])],
                                     else_=['(no title)']),
            dsl.ConcatPlaceholder(['dear ', name]),
        ])


@dsl.container_component
def repeat(word: str, text: dsl.OutputPath(str), times: int = 2):
    return dsl.ContainerSpec(
        image=BUSYBOX,
        command=['sh', '-ec',
                 'out="$1"; i=0; s=""; while [ "$i" -lt "$3" ]; do s="$s${s:+ }$2"; '
                 'i=$((i + 1)); done; printf "%s" "$s" > "$out"; cat "$out"', 'repeat'],
        args=[text, word, times])


@dsl.pipeline(name='placeholders')
def placeholders(name: str = 'Ada', surname: str = 'Lovelace', title: Optional[str] = None):
    greet(name=name, title=title)
    greet(name='Grace', title='Dr')
    greet(name=f'{name}-{surname}')
    greet(name=dsl.PIPELINE_TASK_NAME_PLACEHOLDER)
    repeat(word='hey')


OUTPUTS = {'fixtures/kfp-v2/placeholders.yaml': (placeholders, {})}

# Test fixture: retryPolicy (set_retry) on a task that always fails and on one that succeeds,
# retry on a nested-pipeline (DAG) task, and an ignore_upstream_failure() task consuming the
# failed task's output. Task keys (display names): exit-with (always-fails), exit-with-2
# (succeeds), wrapped, report (after-failure), report-2 (after-success). Expected run: `always-fails` runs 3 times (1 + 2 retries, backoff 1s then
# 2s) and fails; `succeeds` runs once and writes "fine"; `after-failure` still runs and prints
# "upstream said: []" (a STRING output of a failed producer arrives as ""); `after-success`
# prints "upstream said: [fine]"; `wrapped` (retry on a DAG task: ignored) succeeds; the run
# FAILED.
from kfp import dsl

BUSYBOX = 'busybox:1.36'


@dsl.container_component
def exit_with(code: int, out: dsl.OutputPath(str)):
    return dsl.ContainerSpec(
        image=BUSYBOX,
        command=['sh', '-c', 'echo "attempt exits $1"; printf "fine" > "$2"; exit "$1"',
                 'exit-with'],
        args=[code, out])


@dsl.container_component
def report(said: str = 'nothing'):
    return dsl.ContainerSpec(image=BUSYBOX,
                             command=['sh', '-c', 'echo "upstream said: [$1]"', 'report'],
                             args=[said])


@dsl.pipeline
def wrapped(code: int) -> str:
    return exit_with(code=code).outputs['out']


@dsl.pipeline(name='retry-and-ignore-upstream')
def retry_ignore_upstream(code: int = 3):
    failing = exit_with(code=code).set_display_name('always-fails')
    failing.set_retry(num_retries=2, backoff_duration='1s', backoff_factor=2.0,
                      backoff_max_duration='10s')
    succeeding = exit_with(code=0).set_display_name('succeeds').set_retry(num_retries=3)
    wrapped(code=0).set_retry(num_retries=1)
    report(said=failing.outputs['out']).set_display_name('after-failure').ignore_upstream_failure()
    report(said=succeeding.outputs['out']).set_display_name('after-success')


OUTPUTS = {'fixtures/kfp-v2/retry_ignore_upstream.yaml': (retry_ignore_upstream, {})}

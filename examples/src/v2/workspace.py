# Test fixture: the pipeline workspace (pipelineConfig.workspace): one volume a run, mounted at
# /kfp-workspace in every task; dsl.WORKSPACE_PATH_PLACEHOLDER ({{$.workspace_path}}) is its path.
# `write` writes <workspace>/notes/hello.txt; `read` (a later task) prints it and returns
#   summary = "read from /kfp-workspace/notes/hello.txt: written by write"
from kfp import dsl

BUSYBOX = 'busybox:1.36'


@dsl.container_component
def write(workspace: str):
    return dsl.ContainerSpec(
        image=BUSYBOX,
        command=['sh', '-ec', 'mkdir -p "$0/notes"; printf "written by write" > "$0/notes/hello.txt"'],
        args=[workspace])


@dsl.container_component
def read(workspace: str, summary: dsl.OutputPath(str)):
    return dsl.ContainerSpec(
        image=BUSYBOX,
        command=['sh', '-ec',
                 'printf "read from %s: %s" "$0/notes/hello.txt" "$(cat "$0/notes/hello.txt")" > "$1"'],
        args=[workspace, summary])


@dsl.pipeline(name='workspace',
              pipeline_config=dsl.PipelineConfig(workspace=dsl.WorkspaceConfig(size='1Gi')))
def workspace():
    first = write(workspace=dsl.WORKSPACE_PATH_PLACEHOLDER)
    read(workspace=dsl.WORKSPACE_PATH_PLACEHOLDER).after(first)


OUTPUTS = {'fixtures/kfp-v2/workspace.yaml': (workspace, {})}

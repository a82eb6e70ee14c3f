# Test fixture: a pipeline input artifact and Secret/ConfigMap names that are not constants.
# kfrun supplies the artifact with `kfrun run --input-file data=PATH` (a file or a directory) and
# the secret with `--secret NAME=DIR`, NAME given by the pipeline input `secret_name`
# (`-p secret_name=NAME`). Tasks:
#   count-lines  reads the input artifact `data` (a Dataset) at its path: a file → its line
#                count; a directory → the line count of every file under it; outputs
#                summary = "<lines> lines, first: <first line of the first file>"
#   name-maker   outputs the name of a config map, "kfrun-inputs-config"
#   use-secret   the secret named by the pipeline input as env TOKEN and as files under
#                /secret; the config map named by name-maker's output as env GREETING;
#                outputs seen = "<GREETING>: token <length of TOKEN> chars, file <length of
#                /secret/token> chars"
from kfp import dsl
from kfp import kubernetes

BUSYBOX = 'busybox:1.36'

COUNT = '''
if [ -d "$0" ]; then files=$(find "$0" -type f | sort); else files="$0"; fi
lines=$(cat $files | wc -l)
first=$(head -n 1 $(echo "$files" | head -n 1))
printf '%s lines, first: %s' "$lines" "$first" > "$1"
cat "$1"
'''

USE = '''
printf '%s: token %s chars, file %s chars' "$GREETING" "${#TOKEN}" "$(wc -c < /secret/token)" > "$0"
cat "$0"
'''


@dsl.container_component
def count_lines(data: dsl.Input[dsl.Dataset], summary: dsl.OutputPath(str)):
    return dsl.ContainerSpec(image=BUSYBOX, command=['sh', '-ec', COUNT],
                             args=[data.path, summary])


@dsl.container_component
def name_maker(name: dsl.OutputPath(str)):
    return dsl.ContainerSpec(image=BUSYBOX,
                             command=['sh', '-ec', 'printf kfrun-inputs-config > "$0"'],
                             args=[name])


@dsl.container_component
def use_secret(seen: dsl.OutputPath(str)):
    return dsl.ContainerSpec(image=BUSYBOX, command=['sh', '-ec', USE], args=[seen])


@dsl.pipeline(name='pipeline-inputs')
def pipeline_inputs(data: dsl.Input[dsl.Dataset], secret_name: str = 'kfrun-inputs-secret'):
    count_lines(data=data)
    names = name_maker()
    use = use_secret()
    kubernetes.use_secret_as_env(use, secret_name=secret_name,
                                 secret_key_to_env={'token': 'TOKEN'})
    kubernetes.use_secret_as_volume(use, secret_name=secret_name, mount_path='/secret')
    kubernetes.use_config_map_as_env(use, config_map_name=names.outputs['name'],
                                     config_map_key_to_env={'greeting': 'GREETING'})


OUTPUTS = {'fixtures/kfp-v2/pipeline_inputs.yaml': (pipeline_inputs, {})}

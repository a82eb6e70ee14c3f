# Test fixture: a kfp-kubernetes platform document (the second YAML document). The test supplies
# the secret `kfrun-demo-secret` with key `token` and the config map `kfrun-demo-config` with key
# `greeting` = "hi" (kfrun: --secret kfrun-demo-secret=DIR / --config-map kfrun-demo-config=DIR,
# one file per key, or --secrets-file). Tasks (key, display name when it differs):
#   createpvc  (make-pvc) CreatePVC: argostub image, never pulled; kfrun makes a Docker volume
#   write-note mounts the PVC at /data, secret key token as env DEMO_TOKEN, config map key
#              greeting as env GREETING, the pod name as env POD_NAME; writes /data/note.txt =
#              "hi from the writer" and outputs token_length = the token's length
#   read-note  mounts the PVC at /data, the secret as files under /secrets, an emptyDir at
#              /scratch; writes summary = "hi from the writer; token file N chars; scratch ok"
#              (N = the length of the test's token, e.g. 6 for "s3cr3t")
#   deletepvc  (drop-pvc) DeletePVC of the volume, after read-note
# plus settings kfrun only reports: a node selector and a toleration (scheduling), the image pull
# policy IfNotPresent, and a 120 s deadline on write-note.
from kfp import dsl
from kfp import kubernetes

BUSYBOX = 'busybox:1.36'

WRITE = '''
printf '%s from the writer' "$GREETING" > /data/note.txt
printf '%s' "${#DEMO_TOKEN}" > "$1"
echo "pod: $POD_NAME"
'''

READ = '''
echo scratch > /scratch/probe
[ "$(cat /scratch/probe)" = scratch ]
printf '%s; token file %s chars; scratch ok' "$(cat /data/note.txt)" "$(wc -c < /secrets/token)" > "$1"
cat "$1"
'''


@dsl.container_component
def write_note(token_length: dsl.OutputPath(int)):
    return dsl.ContainerSpec(image=BUSYBOX, command=['sh', '-ec', WRITE, 'write-note'],
                             args=[token_length])


@dsl.container_component
def read_note(summary: dsl.OutputPath(str)):
    return dsl.ContainerSpec(image=BUSYBOX, command=['sh', '-ec', READ, 'read-note'],
                             args=[summary])


@dsl.pipeline(name='kubernetes-platform')
def kubernetes_platform():
    pvc = kubernetes.CreatePVC(pvc_name_suffix='-kfrun-data', access_modes=['ReadWriteOnce'],
                               size='1Gi', storage_class_name='standard')
    pvc.set_display_name('make-pvc')

    write = write_note()
    kubernetes.mount_pvc(write, pvc_name=pvc.outputs['name'], mount_path='/data')
    kubernetes.use_secret_as_env(write, secret_name='kfrun-demo-secret',
                                 secret_key_to_env={'token': 'DEMO_TOKEN'})
    kubernetes.use_config_map_as_env(write, config_map_name='kfrun-demo-config',
                                     config_map_key_to_env={'greeting': 'GREETING'})
    kubernetes.use_field_path_as_env(write, env_name='POD_NAME', field_path='metadata.name')
    kubernetes.set_image_pull_policy(write, 'IfNotPresent')
    kubernetes.set_timeout(write, 120)
    kubernetes.add_node_selector(write, label_key='kubernetes.io/os', label_value='linux')

    read = read_note().after(write)
    kubernetes.mount_pvc(read, pvc_name=pvc.outputs['name'], mount_path='/data')
    kubernetes.use_secret_as_volume(read, secret_name='kfrun-demo-secret', mount_path='/secrets')
    kubernetes.empty_dir_mount(read, volume_name='scratch', mount_path='/scratch')
    kubernetes.add_toleration(read, key='dedicated', operator='Equal', value='ml',
                              effect='NoSchedule')

    kubernetes.DeletePVC(pvc_name=pvc.outputs['name']).after(read).set_display_name('drop-pvc')


OUTPUTS = {'fixtures/kfp-v2/kubernetes_platform.yaml': (kubernetes_platform, {})}

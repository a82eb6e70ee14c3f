# Test fixture: importers of local artifacts (kfrun accepts a plain path and a file:// URI; the
# KFP backend accepts only gs://, s3://, minio://, mem:// and oci://). The test creates
#   /tmp/kfrun-v2-importer/hello.txt       containing "hello from a file URI"
#   /tmp/kfrun-v2-importer/model/weights.txt containing "w=1"
# (or passes -p text_uri=file:///other/hello.txt). `read-both` then writes and prints
#   summary = "hello from a file URI | w=1 | file:///tmp/kfrun-v2-importer/hello.txt"
from kfp import dsl

BUSYBOX = 'busybox:1.36'


@dsl.container_component
def read_both(data: dsl.Input[dsl.Dataset], model: dsl.Input[dsl.Model],
              summary: dsl.OutputPath(str)):
    return dsl.ContainerSpec(
        image=BUSYBOX,
        command=['sh', '-ec',
                 'printf "%s | %s | %s" "$(cat "$1")" "$(cat "$2/weights.txt")" "$3" > "$4";'
                 ' cat "$4"', 'read-both'],
        args=[data.path, model.path, data.uri, summary])


@dsl.pipeline(name='importer')
def importer(text_uri: str = 'file:///tmp/kfrun-v2-importer/hello.txt'):
    text = dsl.importer(artifact_uri=text_uri, artifact_class=dsl.Dataset, reimport=False)
    model = dsl.importer(artifact_uri='/tmp/kfrun-v2-importer/model', artifact_class=dsl.Model,
                         reimport=True, metadata={'framework': 'none', 'layers': 2})
    read_both(data=text.output, model=model.output)


OUTPUTS = {'fixtures/kfp-v2/importer.yaml': (importer, {})}

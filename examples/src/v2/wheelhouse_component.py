# Test fixture: lightweight Python components (@dsl.component). `shout` pip-installs kfrun's own
# test package kfrun-demo==0.1.0 (fixtures/wheels/kfrun-demo) and returns its result; `measure`
# logs Metrics and returns an int. Run offline with --wheelhouse DIR holding the packages'
# wheels. With the default text "hello wheelhouse":
#   shout    Output = "HELLO WHEELHOUSE! (kfrun-demo 0.1.0)"
#   measure  Output = 36; metrics artifact metadata {"length": 36, "words": 4}
#   pipeline output = "HELLO WHEELHOUSE! (kfrun-demo 0.1.0)"
# Two compilations:
#   wheelhouse_component.yaml            the SDK's default: each command also pip-installs
#                                        kfp==<SDK version> --no-deps (so the wheelhouse needs a kfp
#                                        wheel of that exact version)
#   wheelhouse_component_no_kfp.yaml     install_kfp_package=False: only kfrun-demo is installed;
#                                        the image must already have kfp importable
#                                        (`python3 -m kfp.dsl.executor_main` runs the function)
from kfp import dsl

PYTHON = 'python:3.11'


def make_pipeline(install_kfp_package):

    @dsl.component(base_image=PYTHON, packages_to_install=['kfrun-demo==0.1.0'],
                   install_kfp_package=install_kfp_package)
    def shout(text: str) -> str:
        import kfrun_demo
        return kfrun_demo.shout(text)

    @dsl.component(base_image=PYTHON, install_kfp_package=install_kfp_package)
    def measure(text: str, metrics: dsl.Output[dsl.Metrics]) -> int:
        metrics.log_metric('length', len(text))
        metrics.log_metric('words', len(text.split()))
        return len(text)

    @dsl.pipeline(name='wheelhouse-component')
    def wheelhouse_component(text: str = 'hello wheelhouse') -> str:
        shouted = shout(text=text)
        measure(text=shouted.output)
        return shouted.output

    return wheelhouse_component


OUTPUTS = {
    'fixtures/kfp-v2/wheelhouse_component.yaml': (make_pipeline(True), {}),
    'fixtures/kfp-v2/wheelhouse_component_no_kfp.yaml': (make_pipeline(False), {}),
}

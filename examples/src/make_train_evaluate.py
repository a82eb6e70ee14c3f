#!/usr/bin/env python3
"""Writes examples/train-evaluate.yaml: a pipeline in the exact shape the KFP v1 compiler
(kfp 1.8) emits for lightweight Python components — an Argo Workflow with `sh -ec` program
wrappers, argparse, outputs as both parameters and artifacts, a ParallelFor, a Condition and an
ExitHandler. The KFP SDK cannot be installed here (no PyPI), so the compiler's output format is
reproduced by this script; the component code below is what a user would have written.
Run: python3 examples/src/make_train_evaluate.py > examples/train-evaluate.yaml
"""
import json
import textwrap

WRAPPER = 'program_path=$(mktemp)\nprintf "%s" "$0" > "$program_path"\npython3 -u "$program_path" "$@"\n'

MAKE_DATASET = textwrap.dedent('''\
    def _make_parent_dirs_and_return_path(file_path: str):
        import os
        os.makedirs(os.path.dirname(file_path), exist_ok=True)
        return file_path

    def make_dataset(rows, noise, seed, dataset_path):
        """Two noisy, roughly separable clusters as CSV: x1,x2,label."""
        import random
        rng = random.Random(seed)
        count = 0
        with open(dataset_path, "w") as f:
            for i in range(rows):
                label = i % 2
                cx, cy = (1.0, 1.0) if label else (-1.0, -1.0)
                f.write("%.4f,%.4f,%d\\n" % (cx + rng.gauss(0, noise), cy + rng.gauss(0, noise), label))
                count += 1
        print("wrote %d rows" % count)
        return (count,)

    def _serialize_int(int_value: int) -> str:
        if isinstance(int_value, str):
            return int_value
        if not isinstance(int_value, int):
            raise TypeError('Value "{}" has type "{}" instead of int.'.format(str(int_value), str(type(int_value))))
        return str(int_value)

    import argparse
    _parser = argparse.ArgumentParser(prog='Make dataset', description='Two noisy, roughly separable clusters as CSV: x1,x2,label.')
    _parser.add_argument("--rows", dest="rows", type=int, required=True, default=argparse.SUPPRESS)
    _parser.add_argument("--noise", dest="noise", type=float, required=True, default=argparse.SUPPRESS)
    _parser.add_argument("--seed", dest="seed", type=int, required=True, default=argparse.SUPPRESS)
    _parser.add_argument("--dataset", dest="dataset_path", type=_make_parent_dirs_and_return_path, required=True, default=argparse.SUPPRESS)
    _parser.add_argument("----output-paths", dest="_output_paths", type=str, nargs=1)
    _parsed_args = vars(_parser.parse_args())
    _output_files = _parsed_args.pop("_output_paths", [])

    _outputs = make_dataset(**_parsed_args)

    _output_serializers = [
        _serialize_int,

    ]

    import os
    for idx, output_file in enumerate(_output_files):
        try:
            os.makedirs(os.path.dirname(output_file))
        except OSError:
            pass
        with open(output_file, 'w') as f:
            f.write(_output_serializers[idx](_outputs[idx]))
    ''')

TRAIN = textwrap.dedent('''\
    def _make_parent_dirs_and_return_path(file_path: str):
        import os
        os.makedirs(os.path.dirname(file_path), exist_ok=True)
        return file_path

    def train(dataset_path, learning_rate, epochs, model_path, mlpipeline_metrics_path):
        """Logistic regression by gradient descent, in plain Python."""
        import json, math
        rows = [tuple(map(float, line.split(","))) for line in open(dataset_path) if line.strip()]
        w1 = w2 = b = 0.0
        for _ in range(epochs):
            g1 = g2 = gb = 0.0
            for x1, x2, y in rows:
                p = 1.0 / (1.0 + math.exp(-(w1 * x1 + w2 * x2 + b)))
                g1 += (p - y) * x1
                g2 += (p - y) * x2
                gb += p - y
            n = len(rows)
            w1 -= learning_rate * g1 / n
            w2 -= learning_rate * g2 / n
            b -= learning_rate * gb / n
        correct = sum(1 for x1, x2, y in rows if ((w1 * x1 + w2 * x2 + b) > 0) == (y > 0.5))
        accuracy = correct / len(rows)
        with open(model_path, "w") as f:
            json.dump({"w1": w1, "w2": w2, "b": b, "learning_rate": learning_rate}, f)
        with open(mlpipeline_metrics_path, "w") as f:
            json.dump({"metrics": [{"name": "accuracy", "numberValue": accuracy, "format": "PERCENTAGE"}]}, f)
        print("learning rate %s: accuracy %.3f" % (learning_rate, accuracy))
        return (round(accuracy, 4),)

    def _serialize_float(float_value: float) -> str:
        if isinstance(float_value, str):
            return float_value
        if not isinstance(float_value, (float, int)):
            raise TypeError('Value "{}" has type "{}" instead of float.'.format(str(float_value), str(type(float_value))))
        return str(float_value)

    import argparse
    _parser = argparse.ArgumentParser(prog='Train', description='Logistic regression by gradient descent, in plain Python.')
    _parser.add_argument("--dataset", dest="dataset_path", type=str, required=True, default=argparse.SUPPRESS)
    _parser.add_argument("--learning-rate", dest="learning_rate", type=float, required=True, default=argparse.SUPPRESS)
    _parser.add_argument("--epochs", dest="epochs", type=int, required=True, default=argparse.SUPPRESS)
    _parser.add_argument("--model", dest="model_path", type=_make_parent_dirs_and_return_path, required=True, default=argparse.SUPPRESS)
    _parser.add_argument("--mlpipeline-metrics", dest="mlpipeline_metrics_path", type=_make_parent_dirs_and_return_path, required=True, default=argparse.SUPPRESS)
    _parser.add_argument("----output-paths", dest="_output_paths", type=str, nargs=1)
    _parsed_args = vars(_parser.parse_args())
    _output_files = _parsed_args.pop("_output_paths", [])

    _outputs = train(**_parsed_args)

    _output_serializers = [
        _serialize_float,

    ]

    import os
    for idx, output_file in enumerate(_output_files):
        try:
            os.makedirs(os.path.dirname(output_file))
        except OSError:
            pass
        with open(output_file, 'w') as f:
            f.write(_output_serializers[idx](_outputs[idx]))
    ''')

EVALUATE = textwrap.dedent('''\
    def _make_parent_dirs_and_return_path(file_path: str):
        import os
        os.makedirs(os.path.dirname(file_path), exist_ok=True)
        return file_path

    def evaluate(accuracies, learning_rates, dataset_path, threshold, mlpipeline_ui_metadata_path, mlpipeline_metrics_path):
        """Picks the best learning rate and describes it for the KFP UI."""
        import json
        accuracies = [float(a) for a in json.loads(accuracies)]
        rates = json.loads(learning_rates)
        best = max(range(len(accuracies)), key=lambda i: accuracies[i])
        rows = [line.strip().split(",") for line in open(dataset_path) if line.strip()]
        positives = sum(1 for r in rows if r[2] == "1")
        negatives = len(rows) - positives
        acc = accuracies[best]
        tp = int(round(positives * acc)); tn = int(round(negatives * acc))
        matrix = "1,1,%d\\n1,0,%d\\n0,1,%d\\n0,0,%d\\n" % (tp, positives - tp, negatives - tn, tn)
        roc = "".join("%.2f,%.2f,%.2f\\n" % (f, min(1.0, f ** 0.25), 1 - f) for f in [0.0, 0.1, 0.25, 0.5, 0.75, 1.0])
        table = "".join("%s,%s\\n" % (r, a) for r, a in zip(rates, accuracies))
        passed = acc >= threshold
        markdown = "# Evaluation\\n\\nBest learning rate **%s** reached accuracy **%.1f%%** (threshold %.0f%%): %s.\\n" % (
            rates[best], 100 * acc, 100 * threshold, "deploy" if passed else "do not deploy")
        metadata = {"outputs": [
            {"type": "table", "format": "csv", "header": ["learning rate", "accuracy"], "storage": "inline", "source": table},
            {"type": "confusion_matrix", "format": "csv", "storage": "inline", "labels": ["1", "0"],
             "schema": [{"name": "target", "type": "CATEGORY"}, {"name": "predicted", "type": "CATEGORY"}, {"name": "count", "type": "NUMBER"}],
             "source": matrix},
            {"type": "roc", "format": "csv", "storage": "inline",
             "schema": [{"name": "fpr", "type": "NUMBER"}, {"name": "tpr", "type": "NUMBER"}, {"name": "thresholds", "type": "NUMBER"}],
             "source": roc},
            {"type": "markdown", "storage": "inline", "source": markdown},
            {"type": "web-app", "storage": "inline", "source": "<html><body><h1>Best model</h1><p>learning rate %s</p></body></html>" % rates[best]},
            {"type": "tensorboard", "source": "/tmp/outputs/logs"},
        ]}
        with open(mlpipeline_ui_metadata_path, "w") as f:
            json.dump(metadata, f)
        with open(mlpipeline_metrics_path, "w") as f:
            json.dump({"metrics": [{"name": "best-accuracy", "numberValue": acc, "format": "PERCENTAGE"},
                                   {"name": "best-learning-rate", "numberValue": float(rates[best]), "format": "RAW"}]}, f)
        print(markdown)
        return (str(rates[best]), "true" if passed else "false")

    import argparse
    _parser = argparse.ArgumentParser(prog='Evaluate', description='Picks the best learning rate and describes it for the KFP UI.')
    _parser.add_argument("--accuracies", dest="accuracies", type=str, required=True, default=argparse.SUPPRESS)
    _parser.add_argument("--learning-rates", dest="learning_rates", type=str, required=True, default=argparse.SUPPRESS)
    _parser.add_argument("--dataset", dest="dataset_path", type=str, required=True, default=argparse.SUPPRESS)
    _parser.add_argument("--threshold", dest="threshold", type=float, required=True, default=argparse.SUPPRESS)
    _parser.add_argument("--mlpipeline-ui-metadata", dest="mlpipeline_ui_metadata_path", type=_make_parent_dirs_and_return_path, required=True, default=argparse.SUPPRESS)
    _parser.add_argument("--mlpipeline-metrics", dest="mlpipeline_metrics_path", type=_make_parent_dirs_and_return_path, required=True, default=argparse.SUPPRESS)
    _parser.add_argument("----output-paths", dest="_output_paths", type=str, nargs=2)
    _parsed_args = vars(_parser.parse_args())
    _output_files = _parsed_args.pop("_output_paths", [])

    _outputs = evaluate(**_parsed_args)

    import os
    for idx, output_file in enumerate(_output_files):
        try:
            os.makedirs(os.path.dirname(output_file))
        except OSError:
            pass
        with open(output_file, 'w') as f:
            f.write(str(_outputs[idx]))
    ''')

LABELS = {
    "pipelines.kubeflow.org/kfp_sdk_version": "1.8.22",
    "pipelines.kubeflow.org/pipeline-sdk-type": "kfp",
    "pipelines.kubeflow.org/enable_caching": "true",
}


def component(name, display, code, args, inputs, params, artifacts, in_artifacts=(), image="python:3.9"):
    tmpl = {
        "name": name,
        "container": {"args": args, "command": ["sh", "-ec", WRAPPER, code], "image": image},
        "metadata": {"labels": dict(LABELS),
                     "annotations": {"pipelines.kubeflow.org/task_display_name": display,
                                     "pipelines.kubeflow.org/component_ref": "{}"}},
    }
    ins = {}
    if inputs:
        ins["parameters"] = [{"name": n} for n in inputs]
    if in_artifacts:
        ins["artifacts"] = [{"name": n, "path": p} for n, p in in_artifacts]
    if ins:
        tmpl["inputs"] = ins
    outs = {}
    if params:
        outs["parameters"] = [{"name": n, "valueFrom": {"path": p}} for n, p in params]
    if artifacts:
        outs["artifacts"] = [{"name": n, "path": p} for n, p in artifacts]
    if outs:
        tmpl["outputs"] = outs
    return tmpl


templates = [
    {"name": "train-evaluate", "inputs": {"parameters": [{"name": n} for n in ["epochs", "learning-rates", "noise", "rows", "threshold"]]},
     "dag": {"tasks": [{"name": "exit-handler-1", "template": "exit-handler-1", "arguments": {"parameters": [
         {"name": n, "value": "{{inputs.parameters.%s}}" % n} for n in ["epochs", "learning-rates", "noise", "rows", "threshold"]]}}]}},
    {"name": "exit-handler-1", "inputs": {"parameters": [{"name": n} for n in ["epochs", "learning-rates", "noise", "rows", "threshold"]]},
     "dag": {"tasks": [
         {"name": "make-dataset", "template": "make-dataset", "arguments": {"parameters": [
             {"name": "noise", "value": "{{inputs.parameters.noise}}"}, {"name": "rows", "value": "{{inputs.parameters.rows}}"}]}},
         {"name": "for-loop-1", "template": "for-loop-1", "dependencies": ["make-dataset"],
          "withParam": "{{inputs.parameters.learning-rates}}",
          "arguments": {"parameters": [{"name": "epochs", "value": "{{inputs.parameters.epochs}}"},
                                       {"name": "learning-rates-loop-item", "value": "{{item}}"}],
                        "artifacts": [{"name": "make-dataset-dataset", "from": "{{tasks.make-dataset.outputs.artifacts.make-dataset-dataset}}"}]}},
         {"name": "evaluate", "template": "evaluate", "dependencies": ["for-loop-1", "make-dataset"],
          "arguments": {"parameters": [
              {"name": "train-Output", "value": "{{tasks.for-loop-1.outputs.parameters.train-Output}}"},
              {"name": "learning-rates", "value": "{{inputs.parameters.learning-rates}}"},
              {"name": "threshold", "value": "{{inputs.parameters.threshold}}"}],
              "artifacts": [{"name": "make-dataset-dataset", "from": "{{tasks.make-dataset.outputs.artifacts.make-dataset-dataset}}"}]}},
         {"name": "condition-2", "template": "condition-2", "dependencies": ["evaluate"],
          "when": '"{{tasks.evaluate.outputs.parameters.evaluate-passed}}" == "true"',
          "arguments": {"parameters": [{"name": "evaluate-best_learning_rate", "value": "{{tasks.evaluate.outputs.parameters.evaluate-best_learning_rate}}"}]}},
     ]}},
    {"name": "for-loop-1", "inputs": {"parameters": [{"name": "epochs"}, {"name": "learning-rates-loop-item"}],
                                      "artifacts": [{"name": "make-dataset-dataset"}]},
     "outputs": {"parameters": [{"name": "train-Output", "valueFrom": {"parameter": "{{tasks.train.outputs.parameters.train-Output}}"}}]},
     "dag": {"tasks": [{"name": "train", "template": "train", "arguments": {
         "parameters": [{"name": "epochs", "value": "{{inputs.parameters.epochs}}"},
                        {"name": "learning-rates-loop-item", "value": "{{inputs.parameters.learning-rates-loop-item}}"}],
         "artifacts": [{"name": "make-dataset-dataset", "from": "{{inputs.artifacts.make-dataset-dataset}}"}]}}]}},
    {"name": "condition-2", "inputs": {"parameters": [{"name": "evaluate-best_learning_rate"}]},
     "dag": {"tasks": [{"name": "deploy", "template": "deploy", "arguments": {"parameters": [
         {"name": "evaluate-best_learning_rate", "value": "{{inputs.parameters.evaluate-best_learning_rate}}"}]}}]}},
    component("make-dataset", "Make dataset", MAKE_DATASET,
              ["--rows", "{{inputs.parameters.rows}}", "--noise", "{{inputs.parameters.noise}}", "--seed", "7",
               "--dataset", "/tmp/outputs/dataset/data", "----output-paths", "/tmp/outputs/Output/data"],
              ["noise", "rows"], [("make-dataset-Output", "/tmp/outputs/Output/data")],
              [("make-dataset-Output", "/tmp/outputs/Output/data"), ("make-dataset-dataset", "/tmp/outputs/dataset/data")]),
    component("train", "Train", TRAIN,
              ["--dataset", "/tmp/inputs/dataset/data", "--learning-rate", "{{inputs.parameters.learning-rates-loop-item}}",
               "--epochs", "{{inputs.parameters.epochs}}", "--model", "/tmp/outputs/model/data",
               "--mlpipeline-metrics", "/tmp/outputs/mlpipeline_metrics/data", "----output-paths", "/tmp/outputs/Output/data"],
              ["epochs", "learning-rates-loop-item"], [("train-Output", "/tmp/outputs/Output/data")],
              [("mlpipeline-metrics", "/tmp/outputs/mlpipeline_metrics/data"), ("train-Output", "/tmp/outputs/Output/data"),
               ("train-model", "/tmp/outputs/model/data")],
              [("make-dataset-dataset", "/tmp/inputs/dataset/data")]),
    component("evaluate", "Evaluate", EVALUATE,
              ["--accuracies", "{{inputs.parameters.train-Output}}", "--learning-rates", "{{inputs.parameters.learning-rates}}",
               "--dataset", "/tmp/inputs/dataset/data", "--threshold", "{{inputs.parameters.threshold}}",
               "--mlpipeline-ui-metadata", "/tmp/outputs/mlpipeline_ui_metadata/data",
               "--mlpipeline-metrics", "/tmp/outputs/mlpipeline_metrics/data",
               "----output-paths", "/tmp/outputs/best_learning_rate/data", "/tmp/outputs/passed/data"],
              ["learning-rates", "threshold", "train-Output"],
              [("evaluate-best_learning_rate", "/tmp/outputs/best_learning_rate/data"), ("evaluate-passed", "/tmp/outputs/passed/data")],
              [("mlpipeline-ui-metadata", "/tmp/outputs/mlpipeline_ui_metadata/data"), ("mlpipeline-metrics", "/tmp/outputs/mlpipeline_metrics/data"),
               ("evaluate-best_learning_rate", "/tmp/outputs/best_learning_rate/data"), ("evaluate-passed", "/tmp/outputs/passed/data")],
              [("make-dataset-dataset", "/tmp/inputs/dataset/data")]),
    {"name": "deploy", "inputs": {"parameters": [{"name": "evaluate-best_learning_rate"}]},
     "container": {"image": "busybox", "command": ["sh", "-c", 'echo "deploying the model trained with learning rate $0"', "{{inputs.parameters.evaluate-best_learning_rate}}"]},
     "metadata": {"labels": dict(LABELS), "annotations": {"pipelines.kubeflow.org/task_display_name": "Deploy"}}},
    {"name": "notify", "container": {"image": "busybox", "command": ["echo", "pipeline {{workflow.name}} finished: {{workflow.status}}"]},
     "metadata": {"labels": dict(LABELS)}},
]

workflow = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "Workflow",
    "metadata": {
        "generateName": "train-evaluate-",
        "annotations": {
            "pipelines.kubeflow.org/kfp_sdk_version": "1.8.22",
            "pipelines.kubeflow.org/pipeline_compilation_time": "2026-11-25T12:00:00",
            "pipelines.kubeflow.org/pipeline_spec": json.dumps({
                "description": "Make a dataset, train in parallel over learning rates, evaluate, deploy when good enough.",
                "inputs": [{"default": "200", "name": "rows", "type": "Integer"}, {"default": "0.6", "name": "noise", "type": "Float"},
                           {"default": "[0.05, 0.5, 2.0]", "name": "learning-rates", "type": "JsonArray"},
                           {"default": "30", "name": "epochs", "type": "Integer"}, {"default": "0.9", "name": "threshold", "type": "Float"}],
                "name": "train-evaluate"}),
        },
        "labels": {"pipelines.kubeflow.org/kfp_sdk_version": "1.8.22"},
    },
    "spec": {
        "entrypoint": "train-evaluate",
        "templates": templates,
        "arguments": {"parameters": [{"name": "rows", "value": "200"}, {"name": "noise", "value": "0.6"},
                                     {"name": "learning-rates", "value": "[0.05, 0.5, 2.0]"},
                                     {"name": "epochs", "value": "30"}, {"name": "threshold", "value": "0.9"}]},
        "onExit": "notify",
        "serviceAccountName": "pipeline-runner",
    },
}

import yaml  # Debian's python3-yaml


class _Literal(str):
    pass


def _literal(dumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")


yaml.add_representer(_Literal, _literal)


def _literals(node):
    if isinstance(node, dict):
        return {k: _literals(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_literals(v) for v in node]
    if isinstance(node, str) and "\n" in node:
        return _Literal(node)
    return node


print("# Generated by examples/src/make_train_evaluate.py in the format the KFP v1 compiler (kfp 1.8) writes.")
print(yaml.dump(_literals(workflow), sort_keys=False, width=100))

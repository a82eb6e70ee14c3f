// The Argo/KFP v1 loader: every conformance fixture loads; errors name file:line:col; other
// kinds of documents get their own message; KFP's API-server rules; notices.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "argo/workflow_loader.hpp"

using kfrun::argo::load_workflow_file;
using kfrun::argo::load_workflow_text;
using kfrun::model::Notice;
using kfrun::model::Template;

namespace {

const std::filesystem::path k_fixtures =
    std::filesystem::path(KFRUN_SOURCE_DIR) / "fixtures" / "conformance" / "argo-v1";

std::vector<std::string> fixture_files() {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(k_fixtures)) {
        if (entry.path().extension() == ".yaml") {
            files.push_back(entry.path().filename().string());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

// "inline.yaml:LINE:COL" of the character `skip` bytes into the first occurrence of `text`.
std::string position_of(const std::string& yaml, const std::string& text, std::size_t skip = 0) {
    std::size_t offset = yaml.find(text);
    EXPECT_NE(offset, std::string::npos) << text;
    offset += skip;
    std::size_t line_start = yaml.rfind('\n', offset);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    return "inline.yaml:" +
           std::to_string(1 + std::count(yaml.begin(), yaml.begin() + offset, '\n')) + ":" +
           std::to_string(offset - line_start + 1);
}

const Notice* notice_about(const kfrun::model::Workflow& workflow, const std::string& needle) {
    for (const Notice& notice : workflow.notices) {
        if (notice.yaml_path.find(needle) != std::string::npos ||
            notice.message.find(needle) != std::string::npos) {
            return &notice;
        }
    }
    return nullptr;
}

}  // namespace

class ConformanceFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(ConformanceFixture, Loads) {
    auto workflow = load_workflow_file(k_fixtures / GetParam());
    ASSERT_TRUE(workflow.ok()) << workflow.error().to_string();
    EXPECT_FALSE(workflow->templates.empty());
    EXPECT_NE(workflow->find_template(workflow->entrypoint), nullptr)
        << "entrypoint " << workflow->entrypoint;
    for (const Template& tmpl : workflow->templates) {
        EXPECT_EQ(workflow->find_template(tmpl.name), &tmpl);
    }
}

INSTANTIATE_TEST_SUITE_P(ArgoV1, ConformanceFixture, ::testing::ValuesIn(fixture_files()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                             std::string name = info.param;
                             for (char& c : name) {
                                 if (std::isalnum(static_cast<unsigned char>(c)) == 0) {
                                     c = '_';
                                 }
                             }
                             // "taxi-cab-x.yaml" and "taxi_cab_x.yaml" both exist: keep names
                             // unique.
                             return std::to_string(info.index) + "_" + name;
                         });

TEST(WorkflowLoader, FindsTheConformanceFixtures) {
    EXPECT_GE(fixture_files().size(), 50u);
}

TEST(WorkflowLoader, AYamlSyntaxErrorNamesFileLineAndColumn) {
    const std::string yaml = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox, args: [a, b}
)";
    auto loaded = load_workflow_text(yaml, "inline.yaml");
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().kind, kfrun::base::ErrorKind::Input);
    // The position of the `}` that closes a `[`.
    EXPECT_EQ(loaded.error().where, position_of(yaml, "[a, b}", 5)) << loaded.error().to_string();
}

TEST(WorkflowLoader, ABadIndentNamesItsLine) {
    const std::string yaml = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
spec:
  entrypoint: main
  templates:
  - name: main
     container: {image: busybox}
)";
    auto loaded = load_workflow_text(yaml, "inline.yaml");
    ASSERT_FALSE(loaded.ok());
    // The position of the `:` that cannot start a mapping value there.
    EXPECT_EQ(loaded.error().where, position_of(yaml, "     container:", 14))
        << loaded.error().to_string();
}

TEST(WorkflowLoader, AKfpV2PipelineGetsItsOwnMessage) {
    auto loaded = load_workflow_text(R"(pipelineInfo: {name: my-pipeline}
root:
  dag:
    tasks: {}
schemaVersion: 2.1.0
sdkVersion: kfp-2.0.0
)",
                                     "inline.yaml");
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.error().message.find("KFP v2"), std::string::npos) << loaded.error().message;
}

TEST(WorkflowLoader, AComponentSpecGetsItsOwnMessage) {
    auto loaded = load_workflow_text(R"(name: Add numbers
inputs:
- {name: a, type: Integer}
outputs:
- {name: sum, type: Integer}
implementation:
  container:
    image: python:3.9
    command: [python, -c, 'print(1)']
)",
                                     "inline.yaml");
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.error().message.find("component spec"), std::string::npos)
        << loaded.error().message;
}

TEST(WorkflowLoader, OtherDocumentsAreRefusedClearly) {
    auto pod = load_workflow_text("apiVersion: v1\nkind: Pod\nspec: {}\n", "inline.yaml");
    ASSERT_FALSE(pod.ok());
    EXPECT_NE(pod.error().message.find("argoproj.io"), std::string::npos);
    auto cron =
        load_workflow_text("apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\n", "inline.yaml");
    ASSERT_FALSE(cron.ok());
    EXPECT_NE(cron.error().message.find("CronWorkflow"), std::string::npos);
    EXPECT_FALSE(load_workflow_text("", "inline.yaml").ok());
    EXPECT_FALSE(load_workflow_text("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n"
                                    "spec: {entrypoint: x}\n",
                                    "inline.yaml")
                     .ok());
}

TEST(WorkflowLoader, KfpOutputsMlpipelineAreOptionalAndOthersAreNot) {
    auto loaded = load_workflow_text(R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox}
    outputs:
      artifacts:
      - {name: mlpipeline-ui-metadata, path: /mlpipeline-ui-metadata.json}
      - {name: mlpipeline-metrics, path: /mlpipeline-metrics.json}
      - {name: model, path: /model}
)",
                                     "inline.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
    const auto& artifacts = loaded->templates.at(0).outputs.artifacts;
    ASSERT_EQ(artifacts.size(), 3u);
    EXPECT_TRUE(artifacts[0].optional);
    EXPECT_TRUE(artifacts[1].optional);
    EXPECT_FALSE(artifacts[2].optional);
}

TEST(WorkflowLoader, SortsFieldsIntoIgnoredAndUnsupportedNotices) {
    auto loaded = load_workflow_text(R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
spec:
  entrypoint: main
  nodeSelector: {disk: ssd}
  podGC: {strategy: OnPodCompletion}
  hooks: {exit: {template: main}}
  templates:
  - name: main
    tolerations: []
    container: {image: busybox, ports: [{containerPort: 80}], frobnicate: 1}
    inputs:
      artifacts:
      - {name: remote, path: /in, s3: {key: some/key}}
    outputs:
      artifacts:
      - {name: out, path: /out, s3: {key: runs/out.tgz}}
)",
                                     "inline.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
    auto severity_of = [&](const std::string& needle) {
        const Notice* notice = notice_about(*loaded, needle);
        EXPECT_NE(notice, nullptr) << "no notice about " << needle;
        return notice == nullptr ? Notice::Severity::Ignored : notice->severity;
    };
    EXPECT_EQ(severity_of("spec.nodeSelector"), Notice::Severity::Ignored);
    EXPECT_EQ(severity_of("spec.podGC"), Notice::Severity::Ignored);
    EXPECT_EQ(severity_of("spec.hooks"), Notice::Severity::Unsupported);
    EXPECT_EQ(severity_of("tolerations"), Notice::Severity::Ignored);
    EXPECT_EQ(severity_of("ports"), Notice::Severity::Ignored);
    EXPECT_EQ(severity_of("frobnicate"), Notice::Severity::Unsupported);
    EXPECT_EQ(severity_of("inputs.artifacts[0].s3"), Notice::Severity::Unsupported);
    EXPECT_EQ(severity_of("outputs.artifacts[0].s3"), Notice::Severity::Ignored);
}

TEST(WorkflowLoader, APipelineSpecAnnotationWithFieldsOfAnotherTypeIsReadAsNoName) {
    // nlohmann's value() threw on `"name": {...}`: kfrun validate ended in "internal error".
    const std::string yaml = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: demo-
  annotations:
    pipelines.kubeflow.org/pipeline_spec: '{"name": {"a": 1}, "description": 3}'
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: alpine}
)";
    auto loaded = load_workflow_text(yaml, "inline.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
    EXPECT_EQ(loaded->display_name, "");
    EXPECT_EQ(loaded->description, "");
}

TEST(WorkflowLoader, ReadsTheFieldsTheEngineUses) {
    const std::string yaml = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: demo-
  labels: {team: ml}
  annotations:
    pipelines.kubeflow.org/pipeline_spec: '{"name": "Demo pipeline", "description": "About"}'
spec:
  entrypoint: main
  onExit: done
  parallelism: 3
  activeDeadlineSeconds: 600
  arguments:
    parameters: [{name: p, value: "1"}, {name: q}]
  templates:
  - name: main
    parallelism: 2
    dag:
      target: b
      failFast: false
      tasks:
      - {name: a, template: done, continueOn: {failed: true}}
      - name: b
        template: done
        depends: a.Failed || a.Succeeded
        when: '"{{workflow.parameters.p}}" == "1"'
        withItems: [{k: v}, 2, "3"]
      - {name: c, template: done, withSequence: {start: "1", end: "3", format: "%02d"}}
      - {name: d, template: done, withParam: '{{workflow.parameters.p}}'}
  - name: done
    activeDeadlineSeconds: 30
    retryStrategy: {limit: 2, retryPolicy: Always, backoff: {duration: 1s, factor: 2, maxDuration: 1m}}
    inputs:
      parameters: [{name: x, default: d, enum: [d, e]}]
      artifacts: [{name: raw, path: /in, raw: {data: hi}}]
    outputs:
      parameters: [{name: o, valueFrom: {path: /o, default: "z"}}]
    script: {image: python:3.9, command: [python], source: 'print(1)'}
)";
    auto loaded = load_workflow_text(yaml, "inline.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
    const auto& wf = *loaded;
    EXPECT_EQ(wf.generate_name, "demo-");
    EXPECT_EQ(wf.display_name, "Demo pipeline");
    EXPECT_EQ(wf.description, "About");
    EXPECT_EQ(wf.labels.at("team"), "ml");
    EXPECT_EQ(wf.on_exit, "done");
    EXPECT_EQ(wf.parallelism, "3");
    EXPECT_EQ(wf.active_deadline_seconds, "600");
    ASSERT_EQ(wf.arguments.parameters.size(), 2u);
    EXPECT_EQ(wf.arguments.parameters[0].value, "1");
    EXPECT_FALSE(wf.arguments.parameters[1].value.has_value());

    const Template* main = wf.find_template("main");
    ASSERT_NE(main, nullptr);
    EXPECT_EQ(main->kind, Template::Kind::Dag);
    EXPECT_EQ(main->parallelism, "2");
    EXPECT_EQ(main->dag.target, "b");
    EXPECT_EQ(main->dag.fail_fast, false);
    const auto& tasks = main->dag.tasks;
    ASSERT_EQ(tasks.size(), 4u);
    EXPECT_TRUE(tasks[0].continue_on.failed);
    EXPECT_EQ(tasks[1].depends, "a.Failed || a.Succeeded");
    EXPECT_EQ(tasks[1].when, "\"{{workflow.parameters.p}}\" == \"1\"");
    EXPECT_EQ(*tasks[1].with_items, nlohmann::json::parse(R"([{"k":"v"}, 2, "3"])"));
    ASSERT_TRUE(tasks[2].with_sequence.has_value());
    EXPECT_EQ(tasks[2].with_sequence->start, "1");
    EXPECT_EQ(tasks[2].with_sequence->end, "3");
    EXPECT_EQ(tasks[2].with_sequence->format, "%02d");
    EXPECT_EQ(tasks[3].with_param, "{{workflow.parameters.p}}");

    const Template* done = wf.find_template("done");
    ASSERT_NE(done, nullptr);
    EXPECT_EQ(done->kind, Template::Kind::Script);
    EXPECT_EQ(done->container.source, "print(1)");
    EXPECT_EQ(done->active_deadline_seconds, "30");
    ASSERT_TRUE(done->retry_strategy.has_value());
    EXPECT_EQ(done->retry_strategy->limit, "2");
    EXPECT_EQ(done->retry_strategy->retry_policy, "Always");
    ASSERT_TRUE(done->retry_strategy->backoff.has_value());
    EXPECT_EQ(done->retry_strategy->backoff->duration, "1s");
    EXPECT_EQ(done->retry_strategy->backoff->factor, "2");
    EXPECT_EQ(done->retry_strategy->backoff->max_duration, "1m");
    EXPECT_EQ(done->inputs.parameters.at(0).default_value, "d");
    EXPECT_EQ(done->inputs.parameters.at(0).enum_values, (std::vector<std::string>{"d", "e"}));
    EXPECT_EQ(done->inputs.artifacts.at(0).raw_data, "hi");
    EXPECT_EQ(done->outputs.parameters.at(0).from_path, "/o");
    EXPECT_EQ(done->outputs.parameters.at(0).default_value, "z");

    // Positions: the template's mapping starts at its "name:" line.
    auto mark = wf.sources.find("spec.templates[1]");
    std::size_t offset = yaml.find("  - name: done");
    EXPECT_EQ(mark.line, 1 + std::count(yaml.begin(), yaml.begin() + offset, '\n'));
}

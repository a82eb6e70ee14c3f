// micro_bench: Google Benchmark over the engine's own hot functions — placeholder substitution,
// `when` evaluation and cache-key computation — as a step of a typical KFP pipeline meets them.
// Usage: micro_bench [--benchmark_format=json] (bench/run.sh runs it)
#include <benchmark/benchmark.h>

#include <string>

#include "engine/cache_key.hpp"
#include "engine/placeholder.hpp"
#include "engine/scope.hpp"
#include "engine/when_expression.hpp"

namespace {

using namespace kfrun::engine;

// A DAG scope (task outputs) over inputs over globals, as a task's arguments see them.
struct Scopes {
    Scope globals;
    Scope inputs{&globals};
    Scope tasks{&inputs};
    Scopes() {
        globals.set("workflow.name", "train-evaluate-jwe2v");
        globals.set("workflow.uid", "e4972de8-9b1c-4c1e-a3f1-0f1e2d3c4b5a");
        for (int i = 0; i < 20; ++i) {
            inputs.set("inputs.parameters.p" + std::to_string(i), "value-" + std::to_string(i));
            tasks.set("tasks.train-" + std::to_string(i) + ".outputs.parameters.accuracy",
                      "0.9" + std::to_string(i));
        }
    }
};

void SubstituteArgument(benchmark::State& state) {
    Scopes scopes;
    const std::string text =
        "--data {{inputs.parameters.p3}} --model {{tasks.train-7.outputs.parameters.accuracy}} "
        "--run {{workflow.uid}}/{{workflow.name}} --out /tmp/outputs/model/data";
    for (auto _ : state) {
        auto result = substitute(text, scopes.tasks);
        benchmark::DoNotOptimize(result);
    }
}
BENCHMARK(SubstituteArgument);

void SubstituteNoTags(benchmark::State& state) {
    Scopes scopes;
    const std::string text = "python3 -u /app/train.py --epochs 10 --out /tmp/outputs/model/data";
    for (auto _ : state) {
        auto result = substitute(text, scopes.tasks);
        benchmark::DoNotOptimize(result);
    }
}
BENCHMARK(SubstituteNoTags);

void WhenComparison(benchmark::State& state) {
    for (auto _ : state) {
        auto result = evaluate_when("\"heads\" == \"heads\"");
        benchmark::DoNotOptimize(result);
    }
}
BENCHMARK(WhenComparison);

void WhenCompound(benchmark::State& state) {
    for (auto _ : state) {
        auto result = evaluate_when("0.93 > 0.9 && (\"train\" != \"skip\" || 3 < 2)");
        benchmark::DoNotOptimize(result);
    }
}
BENCHMARK(WhenCompound);

PodJob typical_job() {
    PodJob job;
    job.spec.image_id = "sha256:22d899cad9bc2b2c0c7a8f6e5d4c3b2a1908f7e6d5c4b3a29180716253443526";
    job.spec.command = {"sh", "-c"};
    job.spec.args = {"python3 -u /app/train.py \"$0\" \"$1\"", "--lr=0.05", "/tmp/inputs/data"};
    for (int i = 0; i < 8; ++i) {
        job.key.env.emplace_back("ENV_" + std::to_string(i), "value-" + std::to_string(i));
        job.input_parameters.emplace_back("param-" + std::to_string(i), std::to_string(i * 7));
    }
    job.spec.output_paths = {"/tmp/outputs/model/data", "/tmp/outputs/metrics/data",
                             "/mlpipeline-ui-metadata.json"};
    job.cache.step = "train-evaluate/train";
    return job;
}

void CacheKeyTypicalStep(benchmark::State& state) {
    const PodJob job = typical_job();
    for (auto _ : state) {
        auto key = compute_cache_key(job);
        benchmark::DoNotOptimize(key);
    }
}
BENCHMARK(CacheKeyTypicalStep);

}  // namespace

BENCHMARK_MAIN();

// `kfrun runs list|show|compare`, `kfrun logs` and `kfrun report` as a user types them, on a
// history seeded without Docker: three runs recorded in the RunIndex (as `kfrun run` records
// them), their reports kept under history/reports, one run folder with its logs and one deleted.
#include <gtest/gtest.h>

#include <fstream>

#include "base/strings.hpp"
#include "base/time.hpp"
#include "child_process.hpp"
#include "store/run_index.hpp"
#include "support/report_fixture.hpp"
#include "support/temp_dir.hpp"

namespace kfrun::report::testing {
namespace {

const std::filesystem::path k_source = KFRUN_SOURCE_DIR;
const std::filesystem::path k_build = KFRUN_BINARY_DIR;

const std::string k_first = "11111111-aaaa-4000-8000-000000000001";   // sweep, folder kept
const std::string k_second = "22222222-bbbb-4000-8000-000000000002";  // sweep, folder deleted
const std::string k_third = "23333333-cccc-4000-8000-000000000003";   // no experiment, failed
const std::string k_damaged = "44444444-dddd-4000-8000-000000000004";  // fields of other types

void write(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

struct Output {
    int exit_code;
    std::string out;
    std::string err;
};

class HistoryCommands : public ::testing::Test {
  protected:
    void SetUp() override {
        m_data = m_dir.path() / "data";
        nlohmann::json base =
            test_support::load_report_fixture(k_source / "tests/unit/report/data/train-evaluate");
        nlohmann::json first = base;
        nlohmann::json second = base;
        second["parameters"]["threshold"] = "0.999";
        second["metrics"][3]["numberValue"] = 0.98;  // best-accuracy
        second["steps"][0]["cache"] = "hit";
        second["counts"]["cached"] = 1;
        nlohmann::json third = base;
        third["status"] = "Failed";
        third["pipeline"]["name"] = "failing";
        third["metrics"] = nlohmann::json::array();
        seed(first, k_first, "sweep", 0);
        seed(second, k_second, "sweep", 1);
        seed(third, k_third, "", 2);
        // The first run's folder: report.json and logs, as kfrun writes them (steps.tsv in the
        // order the steps first wrote).
        std::filesystem::path folder = m_data / "runs" / k_first;
        write(folder / "report.json", m_reports[k_first].dump());
        std::string index;
        for (const nlohmann::json& step : first["steps"]) {
            std::string id = step["id"];
            if (step["name"] == "make-dataset") {
                continue;  // as if served from the cache: no log
            }
            index += id + "\t" + step["label"].get<std::string>() + "\n";
            write(folder / "logs" / (id + ".log"),
                  "log of " + step["label"].get<std::string>() + "\n");
        }
        write(folder / "logs" / "steps.tsv", index);
    }

    void seed(nlohmann::json report, const std::string& id, const std::string& experiment,
              int minutes) {
        auto started =
            base::parse_rfc3339("2026-11-25T10:00:00Z").value() + std::chrono::minutes(minutes);
        report["runId"] = id;
        report["runDir"] = (m_data / "runs" / id).string();
        report["startedAt"] = base::format_rfc3339(started, true);
        store::RunRecord record;
        record.run_id = id;
        record.started_at = started;
        record.experiment = experiment;
        record.summary = nlohmann::json::object();
        for (const char* field :
             {"runId", "workflowName", "pipeline", "status", "parameters", "startedAt",
              "finishedAt", "durationMs", "counts", "metrics", "runDir"}) {
            record.summary[field] = report[field];
        }
        if (!experiment.empty()) {
            record.summary["experiment"] = experiment;
        }
        {
            store::RunIndex index(m_data / "history");
            ASSERT_TRUE(index.put(record).ok());
        }
        write(m_data / "history" / "reports" / (id + ".json"), report.dump());
        m_reports[id] = report;
    }

    Output kfrun(std::vector<std::string> args) {
        args.insert(args.begin(), (k_build / "src/cli/kfrun").string());
        args.insert(args.end(), {"--data-dir", m_data.string(), "--no-color"});
        ProcessResult result = run_process(args, std::chrono::seconds(60), m_dir.path());
        return {result.exit_code, result.out, result.err};
    }

    // The line of `text` that contains `needle`.
    static std::string line_with(const std::string& text, const std::string& needle) {
        for (const std::string& line : base::split(text, '\n')) {
            if (line.find(needle) != std::string::npos) {
                return line;
            }
        }
        return {};
    }

    test_support::TempDir m_dir;
    std::filesystem::path m_data;
    std::map<std::string, nlohmann::json> m_reports;
};

TEST_F(HistoryCommands, ListShowsRunsNewestFirstWithStepsAndMetricsAsColumns) {
    Output list = kfrun({"runs", "list"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    std::vector<std::string> lines = base::split(list.out, '\n');
    ASSERT_GE(lines.size(), 4u) << list.out;
    for (const char* column : {"RUN", "PIPELINE", "STATUS", "STARTED", "DURATION", "STEPS",
                               "EXPERIMENT", "accuracy", "best-accuracy", "best-learning-rate"}) {
        EXPECT_NE(lines[0].find(column), std::string::npos) << column;
    }
    EXPECT_EQ(lines[1].rfind("23333333", 0), 0u) << list.out;  // newest first
    EXPECT_EQ(lines[2].rfind("22222222", 0), 0u);
    EXPECT_EQ(lines[3].rfind("11111111", 0), 0u);
    EXPECT_NE(lines[1].find("Failed"), std::string::npos);
    EXPECT_NE(lines[2].find("6 run / 1 cached"), std::string::npos) << lines[2];
    EXPECT_NE(lines[2].find("98.000%"), std::string::npos) << lines[2];
    EXPECT_NE(lines[3].find("7 run / 0 cached"), std::string::npos) << lines[3];
    EXPECT_NE(lines[3].find("99.500%"), std::string::npos) << lines[3];
    EXPECT_NE(lines[3].find("2026-11-25"), std::string::npos) << lines[3];
}

TEST_F(HistoryCommands, ListFiltersByExperimentAndPrintsJson) {
    Output list = kfrun({"runs", "list", "--experiment", "sweep"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_EQ(list.out.find("23333333"), std::string::npos);
    EXPECT_NE(list.out.find("11111111"), std::string::npos);
    EXPECT_NE(list.out.find("22222222"), std::string::npos);
    EXPECT_NE(kfrun({"runs", "list", "--experiment", "none"}).out.find("no runs yet"),
              std::string::npos);
    Output json = kfrun({"runs", "list", "-o", "json", "--experiment", "sweep"});
    ASSERT_EQ(json.exit_code, 0) << json.err;
    nlohmann::json runs = nlohmann::json::parse(json.out);
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0]["runId"], k_second);
    EXPECT_EQ(runs[0]["experiment"], "sweep");
    EXPECT_EQ(runs[0]["counts"]["cached"], 1);
}

TEST_F(HistoryCommands, ShowListsParametersStepsAndEveryMetricWithItsStep) {
    Output show = kfrun({"runs", "show", "1111"});
    ASSERT_EQ(show.exit_code, 0) << show.err;
    EXPECT_NE(show.out.find("Run " + k_first), std::string::npos);
    EXPECT_NE(show.out.find("experiment: sweep"), std::string::npos);
    EXPECT_NE(show.out.find("threshold = 0.9"), std::string::npos);
    EXPECT_NE(line_with(show.out, "for-loop-1(2:2.0)/train").find("Succeeded"), std::string::npos);
    // One accuracy per loop iteration, each named by its step.
    EXPECT_NE(line_with(show.out, "for-loop-1(0:0.05)/train  accuracy").find("99.000%"),
              std::string::npos)
        << show.out;
    EXPECT_NE(line_with(show.out, "for-loop-1(1:0.5)/train   accuracy").find("99.500%"),
              std::string::npos)
        << show.out;
    EXPECT_NE(line_with(show.out, "best-learning-rate").find("0.500"), std::string::npos);
    EXPECT_EQ(show.out.find("deleted"), std::string::npos);

    Output json = kfrun({"runs", "show", k_first, "-o", "json"});
    ASSERT_EQ(json.exit_code, 0);
    EXPECT_EQ(nlohmann::json::parse(json.out)["steps"].size(), 7u);
}

TEST_F(HistoryCommands, CompareMarksTheRowsThatDiffer) {
    Output compare = kfrun({"runs", "compare", "1111", "2222", "2333"});
    ASSERT_EQ(compare.exit_code, 0) << compare.err;
    EXPECT_EQ(line_with(compare.out, "param threshold").rfind("≠", 0), 0u) << compare.out;
    EXPECT_NE(line_with(compare.out, "param threshold").find("0.999"), std::string::npos);
    EXPECT_EQ(line_with(compare.out, "param epochs").rfind("≠", 0), std::string::npos);
    EXPECT_EQ(line_with(compare.out, "metric best-accuracy").rfind("≠", 0), 0u);
    EXPECT_EQ(line_with(compare.out, " status ").rfind("≠", 0), 0u);

    Output json = kfrun({"runs", "compare", k_first, k_second, "-o", "json"});
    ASSERT_EQ(json.exit_code, 0);
    nlohmann::json table = nlohmann::json::parse(json.out);
    EXPECT_EQ(table["runs"], (nlohmann::json{k_first, k_second}));
    std::map<std::string, bool> differs;
    for (const nlohmann::json& row : table["rows"]) {
        differs[row["name"]] = row["differs"];
    }
    EXPECT_TRUE(differs.at("param threshold"));
    EXPECT_FALSE(differs.at("param rows"));
    EXPECT_TRUE(differs.at("metric best-accuracy"));
    EXPECT_FALSE(differs.at("status"));
}

TEST_F(HistoryCommands, IdsAreUniquePrefixes) {
    Output ambiguous = kfrun({"runs", "show", "2"});
    EXPECT_EQ(ambiguous.exit_code, 2);
    EXPECT_NE(ambiguous.err.find("22222222"), std::string::npos) << ambiguous.err;
    Output unknown = kfrun({"runs", "show", "9"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("no run has the ID `9`"), std::string::npos) << unknown.err;
    EXPECT_EQ(kfrun({"logs", "9"}).exit_code, 2);
    EXPECT_EQ(kfrun({"report", "9"}).exit_code, 2);
}

TEST_F(HistoryCommands, LogsPrintsStepsInTheOrderTheyRanAndOneStepByName) {
    Output all = kfrun({"logs", "1111"});
    ASSERT_EQ(all.exit_code, 0) << all.err;
    std::size_t train = all.out.find("log of for-loop-1(0:0.05)/train");
    std::size_t evaluate = all.out.find("log of evaluate");
    std::size_t exit_handler = all.out.find("log of onExit");
    ASSERT_NE(train, std::string::npos) << all.out;
    EXPECT_LT(train, evaluate);
    EXPECT_LT(evaluate, exit_handler);

    Output one = kfrun({"logs", "1111", "evaluate"});
    ASSERT_EQ(one.exit_code, 0);
    EXPECT_NE(one.out.find("log of evaluate\n"), std::string::npos);
    EXPECT_EQ(one.out.find("train"), std::string::npos) << one.out;
    EXPECT_EQ(base::split(kfrun({"logs", "1111", "train"}).out, '\n').size(), 7u);  // 3 + headers

    Output cached = kfrun({"logs", "1111", "make-dataset"});
    EXPECT_EQ(cached.exit_code, 0);
    EXPECT_NE(cached.err.find("make-dataset: no log"), std::string::npos) << cached.err;
    Output missing = kfrun({"logs", "1111", "nope"});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("no step `nope`"), std::string::npos) << missing.err;
}

TEST_F(HistoryCommands, ADeletedRunFolderLeavesShowLogsAndReportWorking) {
    Output show = kfrun({"runs", "show", "2222"});
    ASSERT_EQ(show.exit_code, 0) << show.err;
    EXPECT_NE(show.out.find("threshold = 0.999"), std::string::npos);
    EXPECT_NE(show.out.find("(deleted;"), std::string::npos) << show.out;

    Output logs = kfrun({"logs", "2222", "evaluate"});
    EXPECT_EQ(logs.exit_code, 0) << logs.err;
    EXPECT_NE(logs.out.find("# Evaluation"), std::string::npos) << logs.out;  // the kept tail
    EXPECT_NE(logs.err.find("the run folder is gone"), std::string::npos);

    Output report = kfrun({"report", "2222"});
    ASSERT_EQ(report.exit_code, 0) << report.err;
    std::filesystem::path folder = m_data / "runs" / k_second;
    for (const char* file : {"report.json", "report.html", "junit.xml", "summary.md"}) {
        EXPECT_TRUE(std::filesystem::exists(folder / file)) << file;
    }
    std::ifstream html(folder / "report.html");
    std::string page((std::istreambuf_iterator<char>(html)), std::istreambuf_iterator<char>());
    EXPECT_NE(page.find("<details class=\"step "), std::string::npos);
    EXPECT_NE(page.find("98.000%"), std::string::npos);
}

TEST_F(HistoryCommands, ARunWithNoFolderAndNoKeptReportFailsClearly) {
    std::filesystem::remove(m_data / "history" / "reports" / (k_second + ".json"));
    Output report = kfrun({"report", "2222"});
    EXPECT_EQ(report.exit_code, 3);
    EXPECT_NE(report.err.find("no report is kept for run " + k_second), std::string::npos)
        << report.err;
    Output logs = kfrun({"logs", "2222"});
    EXPECT_EQ(logs.exit_code, 3);
    EXPECT_NE(logs.err.find("folder and logs are gone"), std::string::npos) << logs.err;
    Output show = kfrun({"runs", "show", "2222"});  // what the index holds
    EXPECT_EQ(show.exit_code, 0);
    EXPECT_NE(show.out.find("threshold = 0.999"), std::string::npos);
    EXPECT_NE(show.out.find("no report is kept"), std::string::npos) << show.out;
}

// report.json and the index are kfrun's files, but they may be damaged or edited: every command
// that reads them ended in "internal error" (exit 70) on a field of another type (nlohmann's
// value() and get<T>() threw type_error.302/306).
TEST_F(HistoryCommands, ADamagedReportIsReadWithDefaultsOrRefusedClearly) {
    nlohmann::json damaged =
        test_support::load_report_fixture(k_source / "tests/unit/report/data/train-evaluate");
    damaged["pipeline"] = {{"name", 7}, {"file", nlohmann::json::array()}};
    damaged["status"] = 3;
    damaged["message"] = {{"a", 1}};
    damaged["durationMs"] = "long";
    damaged["counts"] = {{"cached", "x"}, {"succeeded", 1e300}};
    damaged["parameters"] = {{"threshold", 0.5}};
    damaged["metrics"] = {{{"name", 1}, {"numberValue", "x"}}, 4};
    damaged["runOptions"] = {{"network", 1}, {"secrets", {1}}};
    nlohmann::json& step = damaged["steps"][4];  // evaluate
    step["label"] = 1;
    step["phase"] = nlohmann::json::array();
    step["cache"] = nlohmann::json::object();
    step["message"] = 2;
    step["logTail"] = 3;
    step["startedAt"] = 1;
    step["outputs"] = "none";
    const std::string name = step["name"];
    seed(damaged, k_damaged, "", 3);
    m_reports[k_damaged]["startedAt"] = 5;
    write(m_data / "history" / "reports" / (k_damaged + ".json"), m_reports[k_damaged].dump());

    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"runs", "list"},
          {"runs", "show", "4444"},
          {"runs", "compare", "4444", "1111"},
          {"logs", "4444"},
          {"logs", "4444", name},
          {"inspect", "4444", name},
          {"report", "4444"},
          {"gc", "--older-than", "1s", "--dry-run", "--cache-dir",
           (m_dir.path() / "cache").string()}}) {
        Output out = kfrun(args);
        EXPECT_NE(out.exit_code, 70) << base::join(args, " ") << "\n" << out.err;
        EXPECT_EQ(out.err.find("internal error"), std::string::npos)
            << base::join(args, " ") << "\n"
            << out.err;
    }
    Output show = kfrun({"runs", "show", "4444"});
    EXPECT_EQ(show.exit_code, 0) << show.err;
    EXPECT_NE(show.out.find("threshold = 0.5"), std::string::npos) << show.out;

    Output resume = kfrun({"resume", "4444"});
    EXPECT_EQ(resume.exit_code, 3) << resume.err;
    EXPECT_NE(resume.err.find("cannot resume run " + k_damaged +
                              ": its report is damaged (it names no pipeline.file)"),
              std::string::npos)
        << resume.err;
    m_reports[k_damaged]["pipeline"]["file"] = (k_source / "fixtures/none.yaml").string();
    write(m_data / "runs" / k_damaged / "report.json", m_reports[k_damaged].dump());  // `report`'s
    resume = kfrun({"resume", "4444"});
    EXPECT_EQ(resume.exit_code, 3) << resume.err;
    EXPECT_NE(resume.err.find("(it has parameters.threshold that is not a string)"),
              std::string::npos)
        << resume.err;

    // The workflow name names the steps' containers, logs and spec files: a path in it wrote
    // the replayed steps' logs outside the run folder.
    m_reports[k_damaged]["parameters"] = {{"threshold", "0.5"}};
    m_reports[k_damaged]["steps"][4]["outputs"] = nlohmann::json::object();
    m_reports[k_damaged]["pipeline"]["file"] = (k_source / "examples/train-evaluate.yaml").string();
    m_reports[k_damaged]["workflowName"] = "../../../../tmp/kfrun-escaped";
    write(m_data / "runs" / k_damaged / "report.json", m_reports[k_damaged].dump());
    resume = kfrun({"resume", "4444"});
    EXPECT_EQ(resume.exit_code, 3) << resume.err;
    EXPECT_NE(resume.err.find("its workflowName is not a Kubernetes name"), std::string::npos)
        << resume.err;
}

}  // namespace
}  // namespace kfrun::report::testing

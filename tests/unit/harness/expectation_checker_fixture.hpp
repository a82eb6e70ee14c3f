#pragma once
// Synthetic runs for the expectation checks: report JSON built step by step, output artifacts
// in a real temp-dir store, logs from a map.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/expectation_checker.hpp"
#include "harness/test_file_loader.hpp"
#include "store/file_artifact_store.hpp"
#include "support/temp_dir.hpp"

namespace kfrun::harness {

class CheckerTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = store::FileArtifactStore::open(m_dir.path() / "store");
        ASSERT_TRUE(opened.ok()) << opened.error().to_string();
        m_store = std::move(opened.value());
        m_evidence.store = m_store.get();
        m_evidence.report = {{"status", "Succeeded"}, {"steps", nlohmann::json::array()},
                             {"metrics", nlohmann::json::array()}};
        m_evidence.log_text = [this](const nlohmann::json& step) {
            auto it = m_logs.find(step.value("id", ""));
            return it == m_logs.end() ? std::string() : it->second;
        };
    }

    // An output artifact entry of a step, its bytes in the store.
    nlohmann::json artifact(const std::string& name, const std::string& bytes) {
        auto ref = m_store->ingest_bytes(bytes);
        EXPECT_TRUE(ref.ok());
        return {{"name", name}, {"sha256", ref->digest}, {"size", ref->size}, {"kind", "file"}};
    }

    nlohmann::json& add_step(const std::string& name, const std::string& phase = "Succeeded",
                             int exit_code = 0) {
        nlohmann::json step = {
            {"name", name},
            {"label", name},
            {"id", "id-" + name + "-" + std::to_string(m_evidence.report["steps"].size())},
            {"template", name},
            {"type", "Pod"},
            {"phase", phase},
            {"exitCode", exit_code},
            {"cache", "miss"},
            {"outputs",
             {{"parameters", nlohmann::json::object()}, {"artifacts", nlohmann::json::array()}}},
            {"metrics", nlohmann::json::array()},
            {"uiMetadata", nlohmann::json::array()}};
        m_evidence.report["steps"].push_back(step);
        return m_evidence.report["steps"].back();
    }

    void set_log(const nlohmann::json& step, std::string text) {
        m_logs[step["id"].get<std::string>()] = std::move(text);
    }

    // Checks the one case of a test file (written relative to the temp dir).
    std::vector<CheckResult> check(const std::string& test_file, bool update_golden = false) {
        auto suite = load_test_text(test_file, m_dir.path() / "t.kfrun-test.yaml");
        EXPECT_TRUE(suite.ok()) << (suite.ok() ? "" : suite.error().to_string());
        if (!suite.ok()) {
            return {};
        }
        m_suite = std::move(suite.value());
        return check_case(m_suite, m_suite.cases.at(0), m_evidence, CheckOptions{update_golden});
    }

    static const CheckResult* find(const std::vector<CheckResult>& results,
                                   const std::string& check_prefix) {
        for (const CheckResult& result : results) {
            if (result.check.rfind(check_prefix, 0) == 0) {
                return &result;
            }
        }
        ADD_FAILURE() << "no check starting with " << check_prefix;
        return nullptr;
    }

    static int failures(const std::vector<CheckResult>& results) {
        int count = 0;
        for (const CheckResult& result : results) {
            count += result.passed ? 0 : 1;
        }
        return count;
    }

    static std::string describe(const std::vector<CheckResult>& results) {
        std::string out;
        for (const CheckResult& result : results) {
            out += std::string(result.passed ? "PASS " : "FAIL ") + result.subject + " " +
                   result.check + ": " + result.message + "\n" + result.diff;
        }
        return out;
    }

    test_support::TempDir m_dir;
    std::unique_ptr<store::FileArtifactStore> m_store;
    CaseEvidence m_evidence;
    std::map<std::string, std::string> m_logs;
    TestSuite m_suite;
};

}  // namespace kfrun::harness

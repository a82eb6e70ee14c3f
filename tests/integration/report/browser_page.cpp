#include "browser_page.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/strings.hpp"
#include "child_process.hpp"

namespace kfrun::report::testing {

namespace {

bool docker_answers() {
    std::string socket_path = "/var/run/docker.sock";
    if (const char* host = std::getenv("DOCKER_HOST"); host != nullptr) {
        std::string value = host;
        if (value.rfind("unix://", 0) != 0) {
            return true;  // a TCP daemon: let kfrun find out
        }
        socket_path = value.substr(7);
    }
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", socket_path.c_str());
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

std::vector<std::string> chromium_command(const std::filesystem::path& profile) {
    return {k_chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--disable-extensions",
            "--user-data-dir=" + profile.string()};
}

}  // namespace

std::string browser_test_skip_reason() {
    if (!docker_answers()) {
        return "no Docker daemon answers; run scripts/test.sh, which starts one";
    }
    if (!std::filesystem::exists(k_chromium)) {
        return "no /usr/bin/chromium; scripts/setup.sh installs Debian's chromium";
    }
    return "";
}

KfrunRun run_kfrun(const std::filesystem::path& pipeline, const std::filesystem::path& run_dir,
                   const std::filesystem::path& work) {
    KfrunRun run;
    run.run_dir = run_dir;
    run.data_dir = work / "data";
    std::filesystem::remove_all(run_dir);
    std::filesystem::create_directories(work);
    ProcessResult process =
        run_process({(k_build / "src/cli/kfrun").string(), "run", pipeline.string(), "--no-color",
                     "--quiet", "--image-map-file", (k_source / "fixtures/image-map.txt").string(),
                     "--data-dir", run.data_dir.string(), "--cache-dir", (work / "cache").string(),
                     "--report-dir", run_dir.string()},
                    std::chrono::seconds(600), work);
    run.output = process.out + process.err;
    if (process.exit_code != 0) {
        run.failure = "kfrun run " + pipeline.filename().string() + " failed (exit " +
                      std::to_string(process.exit_code) + "):\n" + run.output;
        return run;
    }
    // kfrun itself writes the files a user opens: no re-rendering here.
    for (const char* file : {"report.json", "report.html", "junit.xml", "summary.md"}) {
        if (!std::filesystem::exists(run_dir / file)) {
            run.failure = std::string("kfrun run left no ") + file + " in " + run_dir.string();
            return run;
        }
    }
    run.report = nlohmann::json::parse(read_text(run_dir / "report.json"), nullptr, false);
    if (run.report.is_discarded()) {
        run.failure = "report.json is not JSON";
    }
    return run;
}

LoadedPage load_page(const std::string& url, const std::filesystem::path& work,
                     const std::string& profile) {
    std::vector<std::string> command = chromium_command(work / profile);
    command.insert(command.end(), {"--enable-logging=stderr", "--v=0", "--dump-dom", url});
    ProcessResult dom = run_process(command, std::chrono::seconds(120), work);
    LoadedPage page;
    if (dom.timed_out || dom.exit_code != 0) {
        page.failure = "chromium --dump-dom failed (exit " + std::to_string(dom.exit_code) +
                       (dom.timed_out ? ", timed out" : "") + "):\n" + dom.err;
        return page;
    }
    page.dom = dom.out;
    page.console = dom.err;
    return page;
}

std::string take_screenshot(const std::string& url, const std::filesystem::path& png,
                            const std::filesystem::path& work, int height) {
    std::filesystem::remove(png);
    std::vector<std::string> command = chromium_command(work / ("profile-" + png.stem().string()));
    command.insert(command.end(),
                   {"--hide-scrollbars", "--window-size=1400," + std::to_string(height),
                    "--screenshot=" + png.string(), url});
    ProcessResult shot = run_process(command, std::chrono::seconds(120), work);
    if (shot.timed_out || shot.exit_code != 0) {
        return "chromium --screenshot failed:\n" + shot.err;
    }
    return "";
}

std::vector<std::string> console_problems(const std::string& console, bool allow_sandboxed_frame) {
    std::vector<std::string> problems;
    for (const std::string& line : base::split(console, '\n')) {
        if (line.find(":CONSOLE") == std::string::npos &&
            line.find("Uncaught") == std::string::npos) {
            continue;
        }
        if (allow_sandboxed_frame && line.find("source: about:srcdoc") != std::string::npos) {
            continue;
        }
        problems.push_back(line);
    }
    return problems;
}

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string section(const std::string& dom, const std::string& start, const std::string& end) {
    std::size_t from = dom.find(start);
    if (from == std::string::npos) {
        return {};
    }
    std::size_t to = dom.find(end, from);
    return dom.substr(from, to == std::string::npos ? std::string::npos : to + end.size() - from);
}

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

std::string body_tag(const std::string& dom) {
    return section(dom, "<body", ">");
}

}  // namespace kfrun::report::testing

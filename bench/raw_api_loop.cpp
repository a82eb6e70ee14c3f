// raw_api_loop: the floor kfrun is measured against — the same busybox containers driven
// through the Docker Engine API with nothing else: create, start, wait, remove, over one
// persistent (keep-alive) unix-socket connection per worker. No logs, no inspect, no archive.
// A step's output goes to a bind-mounted host directory and is read back from there, which is
// the cheapest way to pass a value from one container to the next.
//
// Usage:
//   raw_api_loop chain  IMAGE NETWORK STEPS OUTDIR          (sequential, value passed along)
//   raw_api_loop fanout IMAGE NETWORK LEAVES OUTDIR PARALLEL (leaves, then one join)
// NETWORK: pod (a sandbox container started first, steps join its namespace), bridge, none.
// Prints the final value (chain) or the join's output (fanout) on stdout; exit 1 on any error.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Json = nlohmann::json;

// One keep-alive connection to the daemon; every call blocks until its response is complete.
class Connection {
  public:
    explicit Connection(const std::string& socket_path) : m_socket(m_context) {
        m_socket.connect(asio::local::stream_protocol::endpoint(socket_path));
    }

    Json call(http::verb verb, const std::string& target, const std::string& body = {},
              unsigned expected_max = 299) {
        http::request<http::string_body> request{verb, "/v1.41" + target, 11};
        request.set(http::field::host, "docker");
        request.keep_alive(true);
        if (!body.empty()) {
            request.set(http::field::content_type, "application/json");
            request.body() = body;
        }
        request.prepare_payload();
        http::write(m_socket, request);
        http::response<http::string_body> response;
        http::read(m_socket, m_buffer, response);
        if (response.result_int() > expected_max) {
            throw std::runtime_error(std::string(http::to_string(verb)) + " " + target + ": HTTP " +
                                     std::to_string(response.result_int()) + " " + response.body());
        }
        return response.body().empty() ? Json() : Json::parse(response.body(), nullptr, false);
    }

  private:
    asio::io_context m_context;
    asio::local::stream_protocol::socket m_socket;
    boost::beast::flat_buffer m_buffer;
};

std::string socket_path() {
    const char* host = std::getenv("DOCKER_HOST");
    std::string value = host != nullptr ? host : "";
    const std::string prefix = "unix://";
    if (value.rfind(prefix, 0) == 0) {
        return value.substr(prefix.size());
    }
    return "/var/run/docker.sock";
}

struct Settings {
    std::string image;
    std::string network_mode;  // "bridge", "none" or "container:<sandbox id>"
    std::string outdir;
};

// create, start, wait, remove: one container to its end. Returns the exit code.
int run_container(Connection& connection, const Settings& settings,
                  const std::vector<std::string>& command) {
    const Json body{
        {"Image", settings.image},
        {"Entrypoint", command},
        {"Cmd", Json::array()},
        {"Labels", {{"org.kfrun.bench", "raw"}}},
        {"HostConfig",
         {{"NetworkMode", settings.network_mode}, {"Binds", {settings.outdir + ":/out"}}}}};
    const std::string id =
        connection.call(http::verb::post, "/containers/create", body.dump())["Id"];
    connection.call(http::verb::post, "/containers/" + id + "/start");
    const Json exit = connection.call(http::verb::post, "/containers/" + id + "/wait");
    connection.call(http::verb::delete_, "/containers/" + id + "?v=1");
    return exit.value("StatusCode", -1);
}

// The file's text without its trailing newline.
std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::string value = text.str();
    if (!value.empty() && value.back() == '\n') {
        value.pop_back();
    }
    return value;
}

std::string start_sandbox(Connection& connection, const std::string& image) {
    const Json body{{"Image", image},
                    {"Entrypoint", {"sleep", "3600"}},
                    {"Labels", {{"org.kfrun.bench", "raw"}}},
                    {"HostConfig", {{"NetworkMode", "bridge"}}}};
    const std::string id =
        connection.call(http::verb::post, "/containers/create", body.dump())["Id"];
    connection.call(http::verb::post, "/containers/" + id + "/start");
    return id;
}

int chain(Connection& connection, const Settings& settings, int steps) {
    std::string value = "x";
    for (int i = 0; i < steps; ++i) {
        const std::string file = "/out/v" + std::to_string(i);
        if (run_container(connection, settings,
                          {"sh", "-c", "printf '%s.' \"$0\" > " + file, value}) != 0) {
            throw std::runtime_error("step " + std::to_string(i) + " failed");
        }
        value = read_file(settings.outdir + "/v" + std::to_string(i));
    }
    std::printf("%s\n", value.c_str());
    return 0;
}

int fanout(const Settings& settings, int leaves, int parallel) {
    std::atomic<int> next{0};
    std::atomic<bool> failed{false};
    std::vector<std::thread> workers;
    for (int w = 0; w < parallel; ++w) {
        workers.emplace_back([&] {
            try {
                Connection connection(socket_path());
                for (int i = next++; i < leaves; i = next++) {
                    const std::string file = "/out/leaf" + std::to_string(i);
                    if (run_container(connection, settings,
                                      {"sh", "-c", "echo $0 > " + file, std::to_string(i)}) != 0) {
                        failed = true;
                    }
                }
            } catch (const std::exception& error) {
                std::fprintf(stderr, "raw_api_loop: %s\n", error.what());
                failed = true;
            }
        });
    }
    for (auto& worker : workers) {
        worker.join();
    }
    if (failed) {
        return 1;
    }
    Connection connection(socket_path());
    const std::string first = read_file(settings.outdir + "/leaf0");
    const std::string last = read_file(settings.outdir + "/leaf" + std::to_string(leaves - 1));
    if (run_container(connection, settings,
                      {"sh", "-c", "echo \"$0 $1\" > /out/join", first, last}) != 0) {
        return 1;
    }
    std::printf("%s\n", read_file(settings.outdir + "/join").c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 6) {
        std::fprintf(stderr,
                     "usage: raw_api_loop chain|fanout IMAGE pod|bridge|none STEPS OUTDIR "
                     "[PARALLEL]\n");
        return 2;
    }
    const std::string mode = argv[1];
    Settings settings{argv[2], argv[3], argv[5]};
    const int steps = std::atoi(argv[4]);
    const int parallel = argc > 6 ? std::max(1, std::atoi(argv[6])) : 1;
    try {
        Connection connection(socket_path());
        std::string sandbox;
        if (settings.network_mode == "pod") {
            sandbox = start_sandbox(connection, settings.image);
            settings.network_mode = "container:" + sandbox;
        }
        int rc = mode == "chain" ? chain(connection, settings, steps)
                                 : fanout(settings, steps, parallel);
        if (!sandbox.empty()) {
            connection.call(http::verb::delete_, "/containers/" + sandbox + "?force=1");
        }
        return rc;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "raw_api_loop: %s\n", error.what());
        return 1;
    }
}

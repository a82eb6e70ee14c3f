#include "docker/image_puller.hpp"

#include <algorithm>
#include <cctype>

#include "docker/pull_progress.hpp"
#include "docker/registry_auth.hpp"

namespace kfrun::docker {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds k_event_interval{250};

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool says_any(const std::string& lowered, std::initializer_list<const char*> words) {
    return std::any_of(words.begin(), words.end(),
                       [&](const char* word) { return lowered.find(word) != std::string::npos; });
}

}  // namespace

std::string ImagePuller::explain_failure(const std::string& docker_message,
                                         const std::string& registry, bool had_credentials,
                                         const std::string& source,
                                         const std::string& config_file) {
    const std::string lowered = lower(docker_message);
    // The registry said it wants credentials (basic auth 401s, token auth).
    const bool wants =
        says_any(lowered, {"unauthorized", "authentication required", "no basic auth credentials"});
    // Docker Hub answers a missing repository and a private one alike.
    const bool maybe = says_any(lowered, {"denied", "docker login"});
    if (!wants && !maybe) {
        return docker_message;
    }
    if (!wants) {
        return docker_message + "; if the image is private, run `docker login " + registry + "`";
    }
    if (had_credentials) {
        return docker_message + "; the registry " + registry + " refused the credentials from " +
               source + ": run `docker login " + registry + "` again";
    }
    return docker_message + "; no credentials for the registry " + registry + " in " + config_file +
           ": run `docker login " + registry + "`";
}

ImagePuller::Outcome ImagePuller::pull(const std::string& name, const std::string& image,
                                       const engine::PullListener& on_progress) {
    std::promise<Outcome> promise;
    std::shared_future<Outcome> future;
    bool first = false;
    {
        std::lock_guard lock(m_mutex);
        if (auto running = m_in_flight.find(name); running != m_in_flight.end()) {
            future = running->second;
            ++m_joined;
        } else {
            future = promise.get_future().share();
            m_in_flight.emplace(name, future);
            first = true;
        }
    }
    if (!first) {
        return future.get();  // another step pulls this image now: its result is ours
    }
    Outcome outcome = pull_now(name, image, on_progress);
    promise.set_value(outcome);
    std::lock_guard lock(m_mutex);
    m_in_flight.erase(name);  // a later caller (pull policy Always) pulls again
    return outcome;
}

ImagePuller::Outcome ImagePuller::pull_now(const std::string& name, const std::string& image,
                                           const engine::PullListener& on_progress) {
    ++m_started;
    Outcome outcome{base::ok(), {}};
    const std::string registry = registry_of_image(name);
    CredentialLookup lookup;
    // The registry comes from the pipeline: only a host name as a reference may spell it (letters,
    // digits, . - : and IPv6 brackets, at most 255) goes to config.json or a credential helper.
    const bool plain_host =
        registry.size() <= 255 &&
        std::all_of(registry.begin(), registry.end(), [](unsigned char c) {
            return std::isalnum(c) != 0 || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
        });
    if (m_credentials && plain_host) {
        lookup = m_credentials->lookup(registry);
        outcome.warnings = lookup.warnings;
    }
    std::string header;
    if (lookup.credentials) {
        header = registry_auth_header(*lookup.credentials, registry_key(registry));
    }
    PullProgressTracker tracker(image);
    const auto started = Clock::now();
    auto last_event = started;
    bool tracker_failed = false;
    const auto emit = [&](bool finished) {
        engine::PullProgress progress = tracker.snapshot();
        progress.elapsed = std::chrono::duration_cast<engine::Millis>(Clock::now() - started);
        progress.finished = finished;
        progress.failed = finished && tracker_failed;
        on_progress(progress);
    };
    if (on_progress) {
        emit(false);
    }
    auto pulled = m_client.pull_image(
        name,
        [&](std::string_view line) {
            if (!on_progress || !tracker.add_line(line)) {
                return;
            }
            if (const auto now = Clock::now(); now - last_event >= k_event_interval) {
                last_event = now;
                emit(false);
            }
        },
        std::move(header));
    if (on_progress) {
        tracker_failed = !pulled.ok();
        emit(true);
    }
    if (!pulled.ok()) {
        base::Error error = pulled.error();
        error.message =
            explain_failure(error.message, registry, lookup.credentials.has_value(), lookup.source,
                            m_credentials ? m_credentials->config_file().string()
                                          : std::string("the Docker config"));
        for (const std::string& warning : outcome.warnings) {
            error.message += " (" + warning + ")";  // a failed step reports no warnings
        }
        outcome.result = std::move(error);
    }
    return outcome;
}

}  // namespace kfrun::docker

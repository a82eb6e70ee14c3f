#pragma once
// ContainerRuntime: how the engine runs one step's container (implemented by src/docker).
// The engine resolves everything first (placeholders, inputs, image Id); the runtime only
// executes what StepSpec says and reports what happened as a StepOutcome.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "engine/artifact.hpp"
#include "engine/cancel_token.hpp"

namespace kfrun::engine {

using Millis = std::chrono::milliseconds;

enum class PullPolicy { Always, Missing, Never };
enum class NetworkMode { Pod, Bridge, None, Host };

struct ImageInfo {
    std::string reference;  // what was asked for, after image mapping
    std::string id;         // "sha256:..." — the content identity used to create containers
    std::vector<std::string> repo_digests;
    std::string user;       // Config.User: "", "uid", "uid:gid", "name", ...
    bool pulled = false;    // pulled during this call
    Millis pull_time{0};
    // Said once for the image, e.g. a registry credential helper that failed (never a secret).
    std::vector<std::string> warnings;
};

// How far the pull of one image has come, without the runtime's wire format. Sizes count the
// layers whose size is known so far, so bytes_total can grow while layers are announced.
struct PullProgress {
    std::string image;  // the reference as the step names it (after image mapping)
    std::uint64_t bytes_done = 0;
    std::uint64_t bytes_total = 0;
    int layers_done = 0;
    int layers_total = 0;
    Millis elapsed{0};      // since the pull started
    bool finished = false;  // the last event of this pull
    bool failed = false;    // with finished: the pull failed
};
// Called from the thread that pulls; the runtime throttles the calls (a few per second).
using PullListener = std::function<void(const PullProgress&)>;

// A host folder the command line lets hostPath volumes mount (--allow-host-path PATH[:rw]):
// PATH itself or anything below it, read-only unless `writable`.
struct HostPathGrant {
    std::filesystem::path path;  // absolute, normalized
    bool writable = false;
};

// How a container runs, from its securityContext (its own fields over its pod's).
struct ContainerSecurity {
    std::optional<std::int64_t> run_as_user;
    std::optional<std::int64_t> run_as_group;
    bool run_as_non_root = false;  // checked against the image's user before the start
    std::string user;              // Docker's User ("uid", "uid:gid", "name:gid"); empty: image's
    bool read_only_root = false;   // HostConfig.ReadonlyRootfs
    bool no_new_privileges = false;  // allowPrivilegeEscalation: false
    std::vector<std::string> cap_add;   // normalized: upper case, no CAP_ prefix
    std::vector<std::string> cap_drop;
};

// Per-run settings, given once before the first step.
struct RunContext {
    std::string run_id;
    NetworkMode network = NetworkMode::Pod;
    std::filesystem::path scratch_dir;  // host directory for staging inputs; the engine removes it
    bool keep_containers = false;
    std::map<std::string, std::string> labels;  // put on every container of the run
    // Where hostPath volumes may point: the runtime resolves each hostPath's symbolic links on
    // the host and refuses one that ends outside these.
    std::vector<HostPathGrant> host_paths;
};

// An input artifact placed at `container_path` before the container starts.
struct InputPlacement {
    std::string container_path;
    ArtifactRef artifact;
};

struct VolumeMount {
    enum class Type { Volume, Bind, Tmpfs };
    Type type = Type::Volume;
    std::string source;  // Docker volume name, or absolute host path for Bind
    std::string container_path;
    std::string sub_path;  // a path inside the volume (Kubernetes subPath); empty = whole volume
    bool read_only = false;
    // Labels for a Volume that Docker creates on first use (org.kfrun.run=… makes end_run remove
    // it with the run; org.kfrun.keep=true keeps it, as a PersistentVolumeClaim outlives a run).
    std::map<std::string, std::string> labels;
    bool host_path = false;  // a hostPath volume (Bind): checked against RunContext::host_paths
};

struct ResourceLimits {
    std::optional<std::int64_t> memory_bytes;
    std::optional<std::int64_t> nano_cpus;
    int gpus = 0;  // > 0: a GPU device request
};

// A container that runs beside or before the main one: Kubernetes' init containers (run one
// after another before the main container; a failure fails the step) and sidecars (started
// before the main container in the same network namespace, stopped when it exits).
struct AuxContainer {
    std::string name;
    std::string image;     // after image mapping
    std::string image_id;  // filled in by the engine before run_step
    std::vector<std::string> command;
    std::vector<std::string> args;
    std::vector<std::pair<std::string, std::string>> env;
    std::map<std::string, std::string> secret_env;  // as StepSpec::secret_env
    std::string working_dir;
    std::vector<VolumeMount> mounts;  // its own, then the step's with mirrorVolumeMounts
    bool mirror_volume_mounts = false;
    ResourceLimits resources;
    bool privileged = false;
    ContainerSecurity security;
};

struct StepSpec {
    std::string container_name;  // unique per run and Docker-safe
    std::string display_name;    // for messages and log prefixes
    std::string image;           // the reference after image mapping (for messages)
    std::string image_id;        // from resolve_image; the container is created from this Id
    std::vector<std::string> command;  // empty: the image's entrypoint
    std::vector<std::string> args;     // empty with empty command: the image's cmd
    std::vector<std::pair<std::string, std::string>> env;
    // The names in `env` whose value came from a Secret (secretKeyRef, envFrom secretRef), each
    // with where it came from ("SECRET/KEY"). Such a value goes to the container only: the
    // spec file keeps the reference, not the value, and `kfrun inspect` shows it redacted.
    std::map<std::string, std::string> secret_env;
    std::string working_dir;
    std::vector<InputPlacement> inputs;
    std::vector<std::string> output_paths;  // container paths to collect after the exit
    // The output_paths read only as output parameters: a file larger than the
    // output-parameter-bytes limit is refused before it is read (base/limits.hpp).
    std::set<std::string> parameter_only_paths;
    std::vector<VolumeMount> mounts;
    std::map<std::string, std::string> labels;
    ResourceLimits resources;
    bool privileged = false;
    ContainerSecurity security;
    std::vector<AuxContainer> init_containers;
    std::vector<AuxContainer> sidecars;
    PullPolicy pull_policy = PullPolicy::Missing;  // for this step's images
    // When set, the runtime stops the container at this time and reports DeadlineExceeded.
    std::optional<std::chrono::steady_clock::time_point> deadline;
};

// One entry per StepSpec::output_paths entry, in the same order.
struct CollectedOutput {
    std::string path;
    std::optional<ArtifactRef> artifact;  // absent: the path did not exist (or see `problem`)
    std::string problem;                  // why it could not be collected although it existed
};

struct StepTimings {
    Millis create{0};   // staging inputs + create
    Millis run{0};      // start until the container exited and logs drained
    Millis collect{0};  // reading outputs into the store
    Millis cleanup{0};  // removing the container
};

enum class StepEnd {
    Exited,            // the process ran and exited (exit_code says how)
    StartFailed,       // the container could not start (e.g. executable not found); see message
    InitFailed,        // an init container exited non-zero or could not start; see message
    DeadlineExceeded,  // stopped at StepSpec::deadline
    Cancelled,         // stopped because the CancelToken fired
};

struct StepOutcome {
    StepEnd end = StepEnd::Exited;
    int exit_code = -1;
    bool oom_killed = false;
    std::string message;
    std::vector<CollectedOutput> outputs;
    std::string stdout_tail;  // the last 256 KiB + 1 byte of stdout (Argo's outputs.result)
    std::string log_tail;     // the last 64 lines of stdout and stderr, interleaved
    std::string container_id;
    StepTimings timings;
};

enum class LogStream { Stdout, Stderr };

// Called from the thread that runs the step.
class StepObserver {
public:
    virtual ~StepObserver() = default;
    virtual void on_started(std::string_view container_id) {}
    virtual void on_log_line(LogStream stream, std::string_view line) {}
};

class ContainerRuntime {
public:
    virtual ~ContainerRuntime() = default;

    // The image's Id, pulling it first when the policy says so; a pull reports its progress to
    // `on_progress` (may be empty). Concurrent pulls of one image are one pull.
    virtual base::Result<ImageInfo> resolve_image(const std::string& reference, PullPolicy policy,
                                                  const PullListener& on_progress) = 0;
    // Prepares what the run's steps share (the pod network sandbox). Called once, first.
    virtual base::Result<void> begin_run(const RunContext& context) = 0;
    // Runs one step to its end. Thread-safe: the engine calls it from several threads at once.
    // An Error means the runtime itself failed (Docker refused a call): the step is Error.
    // Exits, failed starts, deadlines and cancellation are StepOutcome values.
    virtual base::Result<StepOutcome> run_step(const StepSpec& spec, StepObserver& observer,
                                               const CancelToken& cancel) = 0;
    // Removes what begin_run made, and the volumes labelled with the run that are not marked
    // to outlive it. Safe to call after a failed begin_run; idempotent.
    virtual base::Result<void> end_run() = 0;

    // Volumes (PersistentVolumeClaims, emptyDirs, snapshots). Creating an existing volume is
    // not an error. `labels` are set on creation; `org.kfrun.keep=true` makes it outlive the run.
    // A runtime without volumes keeps these defaults, which refuse.
    virtual base::Result<void> create_volume(const std::string& name,
                                             const std::map<std::string, std::string>& labels) {
        return no_volumes();
    }
    virtual base::Result<void> remove_volume(const std::string& name) { return no_volumes(); }
    // The labels of volume `name`; nullopt when the daemon has no such volume.
    virtual base::Result<std::optional<std::map<std::string, std::string>>> volume_labels(
        const std::string& name) {
        return no_volumes();
    }
    // Copies every file of volume `from` into volume `to` (which is created if missing).
    virtual base::Result<void> copy_volume(const std::string& from, const std::string& to) {
        return no_volumes();
    }
    // Whether containers asking for GPUs can start on this daemon (cached after the first ask).
    virtual base::Result<bool> gpus_available() { return false; }

private:
    static base::Error no_volumes() {
        return base::make_error(base::ErrorKind::Internal, "this container runtime has no volumes");
    }
};

}  // namespace kfrun::engine

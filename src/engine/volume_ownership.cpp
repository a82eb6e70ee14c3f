#include "engine/volume_ownership.hpp"

#include <algorithm>

#include "base/names.hpp"
#include "base/visible_text.hpp"

namespace kfrun::engine {

namespace {

bool is_snapshot(const VolumeOwner& owner) {
    return owner.label == std::string_view(k_snapshot_label);
}

// The owner's name as messages show it (pipeline text: bounded, escape sequences made visible).
std::string shown_name(const VolumeOwner& owner) {
    return base::visible_text(owner.name.substr(0, 256));
}

std::string owner_text(const VolumeOwner& owner) {
    return std::string(is_snapshot(owner) ? "VolumeSnapshot" : "claim") + " \"" +
           shown_name(owner) + "\"";
}

}  // namespace

bool made_for(const std::map<std::string, std::string>& labels, const VolumeOwner& owner) {
    const auto label = labels.find(owner.label);
    return label != labels.end() && label->second == owner.name;
}

base::Result<void> check_volume_use(ContainerRuntime& runtime, const std::string& volume,
                                    const VolumeOwner& owner,
                                    const std::vector<std::string>& allowed, std::string_view use) {
    if (!base::is_docker_volume_name(volume)) {
        // Checked before any Docker call: a '/' or '..' in it would change the API path.
        return base::make_error(base::ErrorKind::Step,
                                "refused to " + std::string(use) + " volume \"" +
                                    base::visible_text(volume.substr(0, 256)) + "\" for " +
                                    owner_text(owner) +
                                    ": not a Docker volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]+)");
    }
    if (std::find(allowed.begin(), allowed.end(), volume) != allowed.end()) {
        return base::ok();
    }
    auto labels = runtime.volume_labels(volume);
    if (!labels.ok()) {
        return labels.error();
    }
    if (!labels->has_value()) {
        return base::ok();  // made for the claim when it is first used
    }
    if (made_for(**labels, owner)) {
        return base::ok();
    }
    return base::make_error(
        base::ErrorKind::Step,
        "refused to " + std::string(use) + " Docker volume \"" + volume.substr(0, 256) + "\" for " +
            owner_text(owner) +
            ": the volume exists on the Docker daemon and kfrun did not make it for that " +
            (is_snapshot(owner) ? "snapshot" : "claim") + " (it has no label " + owner.label + "=" +
            shown_name(owner) +
            "). A pipeline may use only a volume that does not exist yet or one kfrun made for "
            "it; allow this one with --allow-volume " +
            volume.substr(0, 256));
}

base::Result<void> check_claim_mounts(ContainerRuntime& runtime, const StepSpec& spec,
                                      const std::vector<std::string>& allowed) {
    auto check = [&](const std::vector<VolumeMount>& mounts) -> base::Result<void> {
        for (const VolumeMount& mount : mounts) {
            if (mount.type != VolumeMount::Type::Volume) {
                continue;
            }
            const auto claim = mount.labels.find(k_claim_label);
            if (claim == mount.labels.end()) {
                continue;
            }
            auto checked = check_volume_use(
                runtime, mount.source, VolumeOwner{k_claim_label, claim->second}, allowed, "mount");
            if (!checked.ok()) {
                return checked;
            }
        }
        return base::ok();
    };
    KFRUN_TRY(check(spec.mounts));
    for (const auto* containers : {&spec.init_containers, &spec.sidecars}) {
        for (const AuxContainer& container : *containers) {
            KFRUN_TRY(check(container.mounts));
        }
    }
    return base::ok();
}

}  // namespace kfrun::engine

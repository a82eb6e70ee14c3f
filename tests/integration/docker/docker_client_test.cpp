// DockerClient against the real daemon.
#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "docker/docker_error.hpp"
#include "docker/frame_demuxer.hpp"
#include "docker_fixture.hpp"

namespace kfrun::docker::testing {
namespace {

class DockerClientTest : public DockerFixture {
  protected:
    // A created (not started) busybox container running `sh -c script`, labelled for cleanup.
    std::string create_busybox(const std::string& name, const std::string& script) {
        const nlohmann::json body{{"Image", busybox_id()},
                                  {"Entrypoint", {"sh", "-c"}},
                                  {"Cmd", {script}},
                                  {"Labels", test_labels()},
                                  {"HostConfig", {{"NetworkMode", "none"}}}};
        auto id = client().create_container(token() + "-" + name, body.dump());
        EXPECT_TRUE(id.ok()) << id.error().to_string();
        return id.ok() ? *id : std::string{};
    }
};

class StringSource : public engine::ByteSource {
  public:
    explicit StringSource(std::string data) : m_data(std::move(data)) {}
    base::Result<std::size_t> read(char* buffer, std::size_t capacity) override {
        const std::size_t count = std::min(capacity, m_data.size() - m_offset);
        std::copy_n(m_data.data() + m_offset, count, buffer);
        m_offset += count;
        return count;
    }

  private:
    std::string m_data;
    std::size_t m_offset = 0;
};

std::string tar_with_file(const std::string& name, const std::string& content) {
    std::string out;
    std::unique_ptr<archive, decltype(&archive_write_free)> writer(archive_write_new(),
                                                                   archive_write_free);
    archive_write_set_format_pax_restricted(writer.get());
    archive_write_open(
        writer.get(), &out, nullptr,
        [](archive*, void* client, const void* buffer, size_t length) -> la_ssize_t {
            static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
            return static_cast<la_ssize_t>(length);
        },
        nullptr);
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
    archive_write_header(writer.get(), entry);
    archive_write_data(writer.get(), content.data(), content.size());
    archive_entry_free(entry);
    archive_write_close(writer.get());
    return out;
}

TEST_F(DockerClientTest, NegotiatesApi141AndReadsTheVersion) {
    EXPECT_EQ(client().api_version(), (ApiVersion{1, 41}));
    auto version = client().version();
    ASSERT_TRUE(version.ok()) << version.error().to_string();
    EXPECT_EQ(version->api_version, "1.41");
    EXPECT_FALSE(version->version.empty());
}

TEST_F(DockerClientTest, InspectsImagesAndReportsMissingOnes) {
    auto busybox = client().inspect_image(k_busybox);
    ASSERT_TRUE(busybox.ok());
    ASSERT_TRUE(busybox->has_value());
    EXPECT_EQ((*busybox)->id.rfind("sha256:", 0), 0u);

    auto missing = client().inspect_image("kfrun-test/no-such-image:1");
    ASSERT_TRUE(missing.ok()) << missing.error().to_string();
    EXPECT_FALSE(missing->has_value());

    const nlohmann::json body{{"Image", "kfrun-test/no-such-image:1"}, {"Labels", test_labels()}};
    auto created = client().create_container("", body.dump());
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().where, "docker POST /containers/create: HTTP 404");
    EXPECT_NE(created.error().message.find("kfrun-test/no-such-image:1"), std::string::npos)
        << created.error().message;
}

TEST_F(DockerClientTest, ReportsAFailedPullWithDockersMessage) {
    // Nothing listens on port 1: the daemon fails the pull at once, without any network.
    auto pulled = client().pull_image("127.0.0.1:1/kfrun-test/nope:1");
    ASSERT_FALSE(pulled.ok());
    EXPECT_EQ(pulled.error().kind, base::ErrorKind::Docker);
    EXPECT_NE(pulled.error().where.find("docker POST /images/create"), std::string::npos);
    EXPECT_NE(pulled.error().message.find("127.0.0.1:1"), std::string::npos)
        << pulled.error().to_string();
}

TEST_F(DockerClientTest, PutsStatsAndGetsArchives) {
    const std::string id = create_busybox("archive", "true");
    ASSERT_FALSE(id.empty());
    StringSource tar(tar_with_file("hello.txt", "hello archive\n"));
    auto put = client().put_archive(id, "/tmp", tar);
    ASSERT_TRUE(put.ok()) << put.error().to_string();

    auto stat = client().stat_path(id, "/tmp/hello.txt");
    ASSERT_TRUE(stat.ok()) << stat.error().to_string();
    ASSERT_TRUE(stat->has_value());
    EXPECT_EQ((*stat)->name, "hello.txt");
    EXPECT_EQ((*stat)->size, 14);
    EXPECT_FALSE((*stat)->is_directory());
    auto dir = client().stat_path(id, "/tmp");
    ASSERT_TRUE(dir.ok() && dir->has_value());
    EXPECT_TRUE((*dir)->is_directory());
    auto none = client().stat_path(id, "/tmp/missing");
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());

    auto archive = client().get_archive(id, "/tmp/hello.txt");
    ASSERT_TRUE(archive.ok()) << archive.error().to_string();
    ASSERT_NE(*archive, nullptr);
    std::string bytes;
    char buffer[4096];
    while (true) {
        auto count = (*archive)->read(buffer, sizeof buffer);
        ASSERT_TRUE(count.ok()) << count.error().to_string();
        if (*count == 0) {
            break;
        }
        bytes.append(buffer, *count);
    }
    EXPECT_NE(bytes.find("hello archive\n"), std::string::npos);
    auto missing = client().get_archive(id, "/tmp/missing");
    ASSERT_TRUE(missing.ok()) << missing.error().to_string();
    EXPECT_EQ(*missing, nullptr);

    StringSource into_missing_dir(tar_with_file("x", "x"));
    auto refused = client().put_archive(id, "/no/such/dir", into_missing_dir);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(http_status(refused.error()), 404u) << refused.error().to_string();
}

TEST_F(DockerClientTest, WaitsStartsAndDemultiplexesLogs) {
    const std::string id = create_busybox("logs", "echo out1; echo err1 >&2; echo out2; exit 4");
    ASSERT_FALSE(id.empty());
    auto wait = client().open_wait(id, "next-exit");
    ASSERT_TRUE(wait.ok()) << wait.error().to_string();
    ASSERT_TRUE(client().start_container(id).ok());
    auto body =
        (*wait)->read_all(4096, std::chrono::steady_clock::now() + std::chrono::seconds(20));
    ASSERT_TRUE(body.ok()) << body.error().to_string();
    auto result = DockerClient::parse_wait_result(*body);
    ASSERT_TRUE(result.ok()) << result.error().to_string();
    EXPECT_EQ(result->status_code, 4);

    auto logs = client().open_logs(id, /*follow=*/false);
    ASSERT_TRUE(logs.ok()) << logs.error().to_string();
    auto raw =
        (*logs)->read_all(1 << 20, std::chrono::steady_clock::now() + std::chrono::seconds(5));
    ASSERT_TRUE(raw.ok());
    std::string out;
    std::string err;
    FrameDemuxer demuxer([&](OutputStream stream, std::string_view payload, bool) {
        (stream == OutputStream::Stdout ? out : err) += payload;
    });
    ASSERT_TRUE(demuxer.feed(*raw).ok());
    EXPECT_EQ(out, "out1\nout2\n");
    EXPECT_EQ(err, "err1\n");

    auto details = client().inspect_container(id);
    ASSERT_TRUE(details.ok());
    EXPECT_EQ(details->state.exit_code, 4);
    EXPECT_EQ(details->state.status, "exited");
    ASSERT_TRUE(client().remove_container(id).ok());
    EXPECT_TRUE(client().remove_container(id).ok()) << "404 counts as removed";
}

TEST_F(DockerClientTest, KillsAndStopsIdempotently) {
    const std::string id = create_busybox("kill", "sleep 30");
    ASSERT_TRUE(client().start_container(id).ok());
    ASSERT_TRUE(client().kill_container(id).ok());
    EXPECT_TRUE(client().kill_container(id).ok()) << "409 not running counts as killed";
    EXPECT_TRUE(client().stop_container(id, 1).ok()) << "304 counts as stopped";
}

TEST_F(DockerClientTest, ListsContainersAndVolumesByLabel) {
    const std::string id = create_busybox("listed", "true");
    auto listed = client().list_containers(test_labels());
    ASSERT_TRUE(listed.ok()) << listed.error().to_string();
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ(listed->front().id, id);
    EXPECT_EQ(listed->front().state, "created");

    const std::string volume = token() + "-vol";
    ASSERT_TRUE(client().create_volume(volume, test_labels()).ok());
    auto volumes = client().list_volumes(test_labels());
    ASSERT_TRUE(volumes.ok()) << volumes.error().to_string();
    ASSERT_EQ(volumes->size(), 1u);
    EXPECT_EQ(volumes->front().name, volume);
    EXPECT_EQ(volumes->front().labels, test_labels());
    EXPECT_TRUE(client().remove_volume(volume).ok());
    EXPECT_TRUE(client().remove_volume(volume).ok()) << "404 counts as removed";
}

}  // namespace
}  // namespace kfrun::docker::testing

#pragma once
// ContainerSession: one container from its start to its exit, driven on the caller's thread in
// slices, so that one thread can follow several containers at once (a step's main container
// and its sidecars) and poll its stop triggers between slices:
//
//   open_wait (before start) -> start -> follow_logs -> pump_logs ... -> pump_wait ... -> finish
//
// The wait (condition next-exit) is registered before the start so that even an instant exit
// is seen. The log is followed with timestamps, demultiplexed and split into lines for a sink
// (StepLogs keeps the tails). After the exit, finish() fetches the records Engine 20.10's follow
// can miss (moby/moby#43860) with one non-follow logs?since= call. Stream problems are kept as
// notes, not errors: the exit code can still come from an inspect.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "docker/docker_client.hpp"
#include "docker/step_logs.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::docker {

inline engine::LogStream engine_stream(OutputStream stream) {
    return stream == OutputStream::Stdout ? engine::LogStream::Stdout : engine::LogStream::Stderr;
}

class ContainerSession {
  public:
    using Clock = std::chrono::steady_clock;

    ContainerSession(const DockerClient& client, std::string id, StepLogs::LineSink sink);
    ContainerSession(const ContainerSession&) = delete;
    ContainerSession& operator=(const ContainerSession&) = delete;

    const std::string& id() const { return m_id; }

    // Registers POST /wait?condition=next-exit on its own connection. Call before start().
    base::Result<void> open_wait();
    // Starts the container. On failure the pending wait is closed (it would block until the
    // container is removed) and Docker's error returned.
    base::Result<void> start();
    // Opens logs?follow=1&timestamps=1 (after the start). A failure becomes a log problem.
    void follow_logs();

    // Reads the followed log until it ends or `until` passes; true when it has ended (or failed,
    // or was never open).
    bool pump_logs(Clock::time_point until);
    // Reads the wait until it answers or `until` passes; true when it has answered (or failed,
    // or was never opened).
    bool pump_wait(Clock::time_point until);
    // Gives up on the open streams (the kill grace ran out): closes them.
    void abandon();
    bool abandoned() const { return m_abandoned; }

    // Ends the lines. With `catch_up` (the container has exited and its log was read to the
    // end), first fetches the records the follow missed, reading until `until` at most.
    void finish(bool catch_up, Clock::time_point until);

    // The wait's answer, once pump_wait returned true and it was readable.
    const std::optional<WaitResult>& exit() const { return m_exit; }
    const std::string& log_problem() const { return m_log_problem; }
    const std::string& wait_problem() const { return m_wait_problem; }
    const StepLogs& logs() const { return m_logs; }

  private:
    void note_log_problem(const base::Error& error);

    const DockerClient& m_client;
    std::string m_id;
    StepLogs m_logs;
    std::unique_ptr<ResponseStream> m_wait;
    std::unique_ptr<ResponseStream> m_log_stream;
    std::string m_wait_body;
    std::optional<WaitResult> m_exit;
    std::string m_log_problem;
    std::string m_wait_problem;
    bool m_abandoned = false;
};

}  // namespace kfrun::docker

#pragma once
// The commands `sky` sends a host daemon (registry/commands.hpp, named
// commands), their JSON argument read and their JSON answer written. The
// shapes are in docs/design.md ("skyd's commands") and sky/daemon_protocol.hpp.

#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "skynet/daemon/supervisor.hpp"

namespace skynet::daemon {

struct daemon_event;

// What a command needs beside the supervisor.
struct command_context {
    std::string host;
    std::filesystem::path log_dir;
    int log_files = 10;
    const std::deque<daemon_event>* events = nullptr;
    // Lines of a process's output that its log could not take (a full disk).
    std::function<std::uint64_t(const std::string& id)> dropped = {};
    // Why a process is out of rotation under pressure; empty if it is not.
    std::function<std::string(const std::string& id)> rotation = {};
};

// deploy, processes, start, stop, restart, reset, undeploy, logs.
std::span<const std::string_view> daemon_command_names() noexcept;

// The answer's JSON text. Throws std::invalid_argument with the message
// `sky` shows for a bad argument, an unknown id or a failed deploy.
std::string answer_command(supervisor& processes, const command_context& context,
                           std::string_view name, const std::string& argument);

}  // namespace skynet::daemon

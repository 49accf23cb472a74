#pragma once
// What the skyd tests share: a real redis-server, a real skynet-broker of
// region "r" registered in it, real skyd processes (one per host name, all on
// this machine) with their restart delays compressed, and the real `sky`.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "skynet/registry/connection.hpp"
#include "support/notify_socket.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"

namespace skynet::testing {

class SkydTest : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    // Starts (or starts again) the skyd of `host`, with `extra` options, and
    // waits until it is registered and takes commands.
    void start_skyd(const std::string& host, std::vector<std::string> extra = {});
    child_process& skyd(const std::string& host) { return *daemons_.at(host); }
    // SIGKILL, as a crash would: its processes stay.
    void kill_skyd(const std::string& host);

    // `sky --redis <ours> args...` to its end.
    run_result sky(std::vector<std::string> args,
                   std::chrono::milliseconds limit = std::chrono::seconds(30)) const;
    // `sky --host H deploy --json ARGV...`: the new ids (a failure fails the test).
    std::vector<std::string> deploy(const std::string& host, std::vector<std::string> argv,
                                    std::vector<std::string> options = {});
    // `sky processes --json`: the rows, by id.
    std::map<std::string, nlohmann::json> processes() const;
    // A row's field, or null if the process is not listed.
    nlohmann::json field(const std::string& id, const char* name) const;

    registry::options registry_options() const;
    // Live registered workers of `service`.
    std::vector<registry::instance> registered(const std::string& service) const;
    std::string redis_url() const { return redis_.url(); }
    const std::filesystem::path& dir() const { return dir_; }
    // A binary of ours (build/bin).
    static std::string bin(const std::string& name) { return (bin_dir() / name).string(); }

    redis_server redis_;
    std::unique_ptr<child_process> broker_;
    std::map<std::string, std::unique_ptr<child_process>> daemons_;
    std::filesystem::path dir_;
};

// Live processes whose command line holds `marker` (zombies not counted).
std::size_t count_processes_with(const std::string& marker);
inline bool any_process_with(const std::string& marker) {
    return count_processes_with(marker) > 0;
}

}  // namespace skynet::testing

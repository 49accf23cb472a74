#pragma once
// A registry-backed cluster for discovery tests: a real redis-server, and
// real broker and service processes started with --redis.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "skynet/registry/connection.hpp"
#include "skynet/registry/redis_url.hpp"
#include "support/process.hpp"
#include "support/redis_server.hpp"

namespace skynet::testing {

class registry_cluster {
public:
    registry_cluster();

    // A broker of `region` on a free loopback port; its endpoint.
    std::string start_broker(const std::string& region, std::vector<std::string> extra = {});
    void stop_broker(const std::string& endpoint);
    // Sends `signo` to the broker at `endpoint` (SIGSTOP freezes it).
    void signal_broker(const std::string& endpoint, int signo);
    // A service binary serving on the brokers of `region` it finds.
    child_process& start_service(const std::string& binary, const std::string& region,
                                 std::vector<std::string> extra = {});

    // The registry's view, read fresh each time (an empty list on error).
    std::vector<registry::instance> find(const registry::query& q);
    // The registry's record of the broker listening at `endpoint`, if any.
    std::optional<registry::instance> broker_at(const std::string& endpoint);
    redis_server& redis() noexcept { return redis_; }
    std::string url() const { return redis_.url(); }

private:
    redis_server redis_;
    std::vector<std::pair<std::string, std::unique_ptr<child_process>>> brokers_;
    std::vector<std::unique_ptr<child_process>> services_;
};

}  // namespace skynet::testing

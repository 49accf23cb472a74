#pragma once
// What the brokers say about each service: requests queued, workers idle and
// busy, summed over every broker that serves it. Read through each broker's
// `mmi.service_stats` (bus/mmi.hpp).

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "skynet/registry/instance.hpp"

namespace skynet {
class client;
}

namespace skynet::web {

struct service_load {
    std::uint64_t queued = 0, workers = 0, idle = 0, busy = 0;
};

// Asks every broker at once and sums their answers. Keeps one client per
// broker endpoint (a call must reach that broker, not any), made when the
// broker first appears and dropped when it leaves the registry.
class broker_load_reader {
public:
    explicit broker_load_reader(std::chrono::milliseconds timeout);
    ~broker_load_reader();
    broker_load_reader(const broker_load_reader&) = delete;
    broker_load_reader& operator=(const broker_load_reader&) = delete;

    // Service name -> its load over `brokers` (kind broker records). A broker
    // that does not answer within the timeout counts for nothing. Blocks up
    // to about the timeout; call it off the model's lock.
    std::map<std::string, service_load> read(const std::vector<registry::instance>& brokers);

private:
    void follow(const std::vector<registry::instance>& brokers);

    std::chrono::milliseconds timeout_;
    std::map<std::string, std::unique_ptr<client>> clients_;  // by endpoint
};

}  // namespace skynet::web

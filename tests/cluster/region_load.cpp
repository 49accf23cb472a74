#include "region_load.hpp"

#include <stdexcept>
#include <thread>

#include "support/eventually.hpp"

namespace skynet::testing {

region_load::region_load(const std::string& registry_url, int first_lane,
                         std::chrono::steady_clock::time_point epoch, const host_fabric& hosts,
                         int east_host, int west_host)
    : first_(first_lane) {
    // 4 x 100 calls a second: a steady load that leaves this 2-core machine
    // room for eleven processes, five of them Redis.
    const chaos::traffic_settings settings{.lanes = lanes, .window = 8, .rate_per_lane = 100};
    for (int i = 0; i < lanes; ++i) {
        client_options options;
        options.name = "cluster-" + std::to_string(first_ + i);
        options.redis = registry_url;
        options.region = region_of(i);
        options.heartbeat = std::chrono::milliseconds(250);
        options.liveness = 4;
        const int host = options.region == "east" ? east_host : west_host;
        // Made on a thread of the host's: the client's threads, started in
        // its constructor, stay there (a thread starts in its maker's namespaces).
        std::string failed;
        std::thread([&] {
            try {
                if (auto error = hosts.enter(host)) {
                    failed = *error;
                    return;
                }
                lanes_.push_back(
                    std::make_unique<chaos::lane>(first_ + i, options, settings, epoch));
            } catch (const std::exception& e) {
                failed = e.what();
            }
        }).join();
        if (!failed.empty()) {
            throw std::runtime_error("a caller on host " + hosts.name(host) + ": " + failed);
        }
    }
}

region_load::~region_load() = default;

std::uint64_t region_load::answered() const {
    std::uint64_t n = 0;
    for (const auto& l : lanes_) {
        for (const auto& r : l->records()) {
            n += r.outcomes > 0;
        }
    }
    return n;
}

std::uint64_t region_load::ok_since(const std::string& region, std::uint32_t since_ms) const {
    std::uint64_t n = 0;
    for (int i = 0; i < lanes; ++i) {
        if (region != region_of(i)) {
            continue;
        }
        for (const auto& r : lanes_[i]->records()) {
            n += r.outcomes > 0 && r.code == bus::errc::ok && r.sent_ms >= since_ms;
        }
    }
    return n;
}

bool region_load::finish(std::chrono::milliseconds limit) {
    for (auto& l : lanes_) {
        l->stop();
    }
    return eventually(
        [&] {
            for (const auto& l : lanes_) {
                if (l->pending() != 0) {
                    return false;
                }
            }
            return true;
        },
        limit);
}

std::vector<std::vector<chaos::call_record>> region_load::records() const {
    std::vector<std::vector<chaos::call_record>> out;
    for (const auto& l : lanes_) {
        out.push_back(l->records());
    }
    return out;
}

}  // namespace skynet::testing

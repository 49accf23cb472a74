#pragma once
// The cluster test's load for one step: four chaos lanes (tests/chaos/
// traffic.hpp: a client each, a steady pace, half the calls idempotent,
// every call keyed), two of region "east" and two of region "west", each
// client finding brokers through the registry URL (its own region's first).
// Lanes are numbered from `first_lane` so that the keys of every step differ
// and the chaos verdict can judge all steps at once.
//
// Each region's callers run on one of its hosts: their clients are made on a
// thread that entered the host's network namespace, so every socket and
// thread of theirs is the host's. A partition cuts them off as it cuts off
// that host's brokers and workers.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "chaos/traffic.hpp"
#include "host_fabric.hpp"

namespace skynet::testing {

class region_load {
public:
    static constexpr int lanes = 4;

    // Callers of east on host `east_host` of `hosts`, of west on `west_host`.
    // Throws std::runtime_error if a client cannot be made there.
    region_load(const std::string& registry_url, int first_lane,
                std::chrono::steady_clock::time_point epoch, const host_fabric& hosts,
                int east_host, int west_host);
    ~region_load();

    int first_lane() const noexcept { return first_; }
    // The region of lane `first_lane() + i`.
    static const char* region_of(int i) { return i < 2 ? "east" : "west"; }

    // Calls answered so far (any outcome), and OK ones of `region` sent at or
    // after `since_ms` (milliseconds since the epoch).
    std::uint64_t answered() const;
    std::uint64_t ok_since(const std::string& region, std::uint32_t since_ms) const;

    // Stops sending and waits until every call has its outcome, up to
    // `limit`; false if some are still silent then.
    bool finish(std::chrono::milliseconds limit);
    // Each lane's records, by lane (call after finish()).
    std::vector<std::vector<chaos::call_record>> records() const;

private:
    int first_;
    std::vector<std::unique_ptr<chaos::lane>> lanes_;
};

}  // namespace skynet::testing

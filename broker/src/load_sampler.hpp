#pragma once
// What a broker publishes about its load in its registry record
// (registry::broker_load_record): requests queued and in flight, from its
// live counters, and the process's CPU over the last interval, from
// getrusage. Sampled from the loop's tick about once a second; never per
// message.

#include <chrono>
#include <optional>

#include "skynet/broker/broker_stats.hpp"
#include "skynet/registry/instance.hpp"

namespace skynet::broker_detail {

class load_sampler {
public:
    using clock = std::chrono::steady_clock;

    explicit load_sampler(std::chrono::milliseconds interval = std::chrono::seconds(1))
        : interval_(interval) {}

    // The figures now, if an interval has passed since the last sample and
    // they differ from the last ones returned; nothing otherwise.
    std::optional<registry::broker_load_record> sample(const broker_stats& stats,
                                                       clock::time_point now);

private:
    std::chrono::milliseconds interval_;
    clock::time_point last_at_{};
    std::chrono::microseconds last_cpu_{0};
    bool started_ = false;
    std::optional<registry::broker_load_record> published_;
};

// CPU time this process has used (user + system, every thread).
std::chrono::microseconds process_cpu_time() noexcept;

}  // namespace skynet::broker_detail

#include "load_sampler.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace skynet::broker_detail {

std::chrono::microseconds process_cpu_time() noexcept {
    rusage usage{};
    if (::getrusage(RUSAGE_SELF, &usage) != 0) {
        return std::chrono::microseconds(0);
    }
    const auto micros = [](const timeval& t) {
        return std::chrono::seconds(t.tv_sec) + std::chrono::microseconds(t.tv_usec);
    };
    return micros(usage.ru_utime) + micros(usage.ru_stime);
}

std::optional<registry::broker_load_record> load_sampler::sample(const broker_stats& stats,
                                                                 clock::time_point now) {
    if (!started_) {
        // The first interval starts here: CPU is a rate, it needs two looks.
        started_ = true;
        last_at_ = now;
        last_cpu_ = process_cpu_time();
        return std::nullopt;
    }
    if (now - last_at_ < interval_) {
        return std::nullopt;
    }
    const auto cpu = process_cpu_time();
    const auto wall = std::chrono::duration_cast<std::chrono::microseconds>(now - last_at_);
    const auto used = std::max(cpu - last_cpu_, std::chrono::microseconds(0));
    last_at_ = now;
    last_cpu_ = cpu;
    registry::broker_load_record figures;
    figures.queued = stats.queued;
    figures.in_flight = stats.in_flight;
    // Rounded to whole percent: finer would change the record every second
    // for nothing a client could act on.
    figures.cpu_percent =
        static_cast<std::uint64_t>((used.count() * 100 + wall.count() / 2) / wall.count());
    if (published_ == figures) {
        return std::nullopt;
    }
    published_ = figures;
    return figures;
}

}  // namespace skynet::broker_detail

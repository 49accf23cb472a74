#pragma once
// Out of rotation under pressure (issue 15, item 8): per-service limits on a
// process's CPU and memory and on the host's load. A value that stays above
// its limit for `over_for` takes the instance out of rotation; once every
// value has stayed below for `under_for` it goes back (hysteresis, so that a
// value near its limit does not flap). RSS past `restart_rss_bytes` asks for
// a restart at once.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace skynet::daemon {

struct pressure_limits {
    std::optional<double> cpu_percent;               // of one CPU (200: two CPUs busy)
    std::optional<std::uint64_t> rss_bytes;          // out of rotation above this
    std::optional<double> load_per_cpu;              // the host's load1 / cpus
    std::optional<std::uint64_t> restart_rss_bytes;  // restart above this
    std::chrono::milliseconds over_for{30000};
    std::chrono::milliseconds under_for{60000};

    bool any() const noexcept {
        return cpu_percent || rss_bytes || load_per_cpu || restart_rss_bytes;
    }
    bool operator==(const pressure_limits&) const = default;
};

// One reading of the figures the limits compare.
struct pressure_sample {
    double cpu_percent = 0;
    std::uint64_t rss_bytes = 0;
    double load_per_cpu = 0;
};

enum class pressure_action {
    none,      // nothing changes
    take_out,  // unregister the instance: `reason` says which limit
    put_back,  // register it again
    restart,   // its RSS passed restart_rss_bytes: `reason` says by how much
};

struct pressure_decision {
    pressure_action action = pressure_action::none;
    std::string reason;
};

// The decision for one managed process, fed its samples in time order. Time
// is passed in, so tests step it. One thread.
class pressure {
public:
    using time_point = std::chrono::steady_clock::time_point;

    // Throws std::invalid_argument for a negative duration or limit.
    explicit pressure(pressure_limits limits);

    // Takes the sample taken at `now` and says what to do. take_out and
    // put_back alternate; restart is said once until RSS has been seen below
    // its limit again or reset() is called.
    pressure_decision feed(const pressure_sample& sample, time_point now);
    // The process was restarted: back in rotation, timers and restart cleared.
    void reset();

    bool out_of_rotation() const noexcept { return out_; }
    // Why it is out of rotation; empty while in it.
    const std::string& reason() const noexcept { return reason_; }

private:
    std::string over_limit(const pressure_sample& sample) const;
    std::optional<pressure_decision> restart_check(const pressure_sample& sample);

    pressure_limits limits_;
    bool out_ = false;
    bool restart_said_ = false;
    std::string reason_;
    std::optional<time_point> over_since_;
    std::optional<time_point> under_since_;
};

}  // namespace skynet::daemon

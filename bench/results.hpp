#pragma once
// What a run measures, and what the report prints.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "histogram.hpp"
#include "skynet/bus/errc.hpp"

namespace skynet::bench {

using outcome_counts = std::array<std::uint64_t, bus::errc_max + 1>;

struct run_result {
    std::string label;            // "relay, 1 per connection", "skynet", ...
    std::uint64_t completed = 0;  // OK replies inside the measured window
    double seconds = 0;           // the measured window
    latency_histogram latency;
    // CPU time the broker (or relay) thread spent in the window; nothing when
    // the broker is not ours to watch.
    std::optional<std::chrono::nanoseconds> broker_cpu;
    // CPU time of this whole process in the window: callers, broker or
    // relay, workers and every ZeroMQ I/O thread. On a machine whose cores
    // are all busy, this is what throughput divides.
    std::optional<std::chrono::nanoseconds> process_cpu;
    outcome_counts outcomes{};     // every call's one outcome, by code
    std::uint64_t unanswered = 0;  // calls with no outcome by their deadline
    std::string note;

    double rate() const noexcept {
        return seconds > 0 ? static_cast<double>(completed) / seconds : 0.0;
    }
    // Broker CPU per request, in nanoseconds: the CPU of the whole run (its
    // drain too) over every OK reply. Nothing if unknown.
    std::optional<double> cpu_per_request() const noexcept { return per_request(broker_cpu); }
    std::optional<double> process_cpu_per_request() const noexcept {
        return per_request(process_cpu);
    }
    std::optional<double> per_request(std::optional<std::chrono::nanoseconds> cpu) const noexcept {
        if (!cpu || outcomes[0] == 0) {
            return std::nullopt;
        }
        return static_cast<double>(cpu->count()) / static_cast<double>(outcomes[0]);
    }
};

struct scenario_result {
    std::string name;
    std::string description;
    std::vector<run_result> runs;
    int reference = -1;   // the run that ratios are taken against
    int measured = -1;    // our run, the one the closing line quotes
    std::string skipped;  // why it did not run, if it did not
    std::string note;     // what the figure means or what limited it
    // With --repeat: this is the run of median ratio, and these are the
    // ratios of every run, in the order they ran.
    std::vector<double> ratios;

    // Our rate over the reference's; nothing if either is missing.
    std::optional<double> ratio() const noexcept {
        if (!skipped.empty() || measured < 0 || reference < 0 || reference == measured) {
            return std::nullopt;
        }
        const auto ref = runs[static_cast<std::size_t>(reference)].rate();
        if (ref <= 0) {
            return std::nullopt;
        }
        return runs[static_cast<std::size_t>(measured)].rate() / ref;
    }
};

struct memory_figure {
    std::string name;
    std::optional<double> value;  // in `unit`
    std::string unit;             // "MiB", "bytes", ...
    std::string skipped;
    std::string note;
};

struct report {
    std::vector<scenario_result> scenarios;
    std::vector<memory_figure> memory;
    std::vector<std::string> notes;  // registry figures and the like
};

}  // namespace skynet::bench

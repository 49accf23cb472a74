#include "registry_figures.hpp"

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "children.hpp"
#include "free_port.hpp"
#include "skynet/registry/connection.hpp"
#include "skynet/registry/instance_listener.hpp"

namespace skynet::bench {

namespace {

using clock_type = std::chrono::steady_clock;
constexpr const char* redis_binary = "/usr/bin/redis-server";

std::optional<registry::connection> connect_within(const registry::options& settings,
                                                   std::chrono::seconds limit) {
    const auto deadline = clock_type::now() + limit;
    while (clock_type::now() < deadline) {
        if (auto c = registry::connection::open(settings)) {
            return std::move(*c);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
}

registry::instance record_of(int i) {
    registry::instance r;
    r.id = "bench-" + std::to_string(i);
    r.service = "service-" + std::to_string(i % 100);
    r.version = "1.0";
    r.region = "region-" + std::to_string(i % 10);
    r.host = "host-" + std::to_string(i % 200);
    r.pid = i;
    r.methods = {"Index"};
    return r;
}

double millis(clock_type::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

std::string fixed(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", value);
    return text;
}

// The best of a few runs of `q`, in milliseconds; negative if it failed.
double time_query(registry::connection& c, const registry::query& q, std::size_t& found) {
    double best = -1;
    for (int run = 0; run < 5; ++run) {
        const auto start = clock_type::now();
        auto result = c.find(q);
        const double took = millis(clock_type::now() - start);
        if (!result) {
            return -1;
        }
        found = result->size();
        best = best < 0 ? took : std::min(best, took);
    }
    return best;
}

}  // namespace

namespace {

// Time from a put() to the listener's `updated`, for `changes` changes.
std::vector<double> change_latencies(registry::connection& c, const registry::options& settings,
                                     int changes) {
    std::mutex mutex;
    std::condition_variable seen;
    std::int64_t last_seen = -1;
    auto note = [&](const registry::instance& i) {
        std::lock_guard lock(mutex);
        last_seen = static_cast<std::int64_t>(i.stats.requests);
        seen.notify_all();
    };
    registry::instance_listener listener(settings, registry::query{.service = "probe"},
                                         {note, note, {}});
    auto probe = record_of(-1);
    probe.service = "probe";
    std::vector<double> latencies;
    for (int i = 0; i <= changes; ++i) {
        probe.stats.requests = static_cast<std::uint64_t>(i);
        const auto start = clock_type::now();
        if (!c.put(probe, std::chrono::minutes(1))) {
            break;
        }
        std::unique_lock lock(mutex);
        if (!seen.wait_for(lock, std::chrono::seconds(5), [&] { return last_seen == i; })) {
            break;
        }
        if (i > 0) {  // the first is the listener's initial sync
            latencies.push_back(millis(clock_type::now() - start));
        }
    }
    return latencies;
}

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

}  // namespace

std::vector<std::string> measure_registry(const bench_options& o) {
    if (!std::filesystem::exists(redis_binary)) {
        return {"registry figures: skipped: no redis-server at /usr/bin/redis-server"};
    }
    const int port = free_loopback_port();
    child_process redis({redis_binary, "--port", std::to_string(port), "--bind", "127.0.0.1",
                         "--save", "", "--appendonly", "no", "--loglevel", "warning"});
    auto settings = *registry::options_from_url("redis://127.0.0.1:" + std::to_string(port));
    auto c = connect_within(settings, std::chrono::seconds(5));
    if (!c) {
        return {"registry figures: skipped: redis-server did not answer"};
    }
    const int instances = o.quick ? 1000 : 10000;
    for (int i = 0; i < instances; ++i) {
        if (!c->put(record_of(i), std::chrono::minutes(5))) {
            return {"registry figures: skipped: writing the instances failed"};
        }
    }
    std::vector<std::string> lines;
    std::size_t found = 0;
    const double all = time_query(*c, {}, found);
    lines.push_back("registry: Query over " + std::to_string(instances) + " instances, all " +
                    std::to_string(found) + " returned: " + fixed(all) + " ms (best of 5)");
    const double narrow = time_query(*c, {.region = "region-3", .service = "service-13"}, found);
    lines.push_back("registry: Query by region and service, " + std::to_string(found) +
                    " returned: " + fixed(narrow) + " ms");
    const auto latencies = change_latencies(*c, settings, o.quick ? 50 : 200);
    if (latencies.empty()) {
        lines.push_back("registry: change-to-callback: no callback arrived");
    } else {
        lines.push_back("registry: change-to-callback over " + std::to_string(latencies.size()) +
                        " changes: p50 " + fixed(percentile(latencies, 0.5)) + " ms, p99 " +
                        fixed(percentile(latencies, 0.99)) +
                        " ms (includes the listener's 20 ms coalescing window)");
    }
    return lines;
}

}  // namespace skynet::bench

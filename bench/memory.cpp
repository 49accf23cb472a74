#include "memory.hpp"

#include <functional>
#include <optional>

#include "fleet.hpp"
#include "measure.hpp"

namespace skynet::bench {

namespace {

constexpr double mib = 1024.0 * 1024.0;

memory_figure skipped(std::string name, std::string why) {
    return {std::move(name), std::nullopt, "", std::move(why), ""};
}

memory_figure figure(std::string name, double value, std::string unit, std::string note = "") {
    return {std::move(name), value, std::move(unit), "", std::move(note)};
}

// RSS of `pid` before and after `spec`'s peers arrive; the error if they did not.
struct rss_delta {
    std::int64_t before = 0;
    std::int64_t after = 0;
    std::string error;
    double per(int count) const { return static_cast<double>(after - before) / count; }
};

rss_delta with_peers(pid_t pid, const holder_spec& spec) {
    rss_delta d;
    auto before = settled_rss(pid);
    holder_group peers(spec);
    auto after = settled_rss(pid);
    if (!peers.error().empty() || !before || !after) {
        d.error = peers.error().empty() ? "the measured process is gone" : peers.error();
        return d;
    }
    d.before = *before;
    d.after = *after;
    return d;
}

holder_spec clients_of(const std::string& endpoint, int count) {
    return {"clients", endpoint, count, "", "idle", 2500};
}

void idle_and_clients(const bench_options& o, std::vector<memory_figure>& out) {
    const auto n = std::to_string(o.clients);
    broker_child broker(o.broker_binary, 10000);
    if (!broker.error().empty()) {
        out.push_back(skipped("broker RSS, idle", broker.error()));
        return;
    }
    const auto idle = settled_rss(broker.pid());
    out.push_back(figure("broker RSS, idle", static_cast<double>(idle.value_or(0)) / mib, "MiB"));
    auto clients = with_peers(broker.pid(), clients_of(broker.endpoint(), o.clients));
    if (!clients.error.empty()) {
        out.push_back(skipped("broker RSS, " + n + " clients", clients.error));
        return;
    }
    out.push_back(figure("broker RSS, " + n + " clients", clients.after / mib, "MiB"));
    out.push_back(figure("broker bytes per connected client", clients.per(o.clients), "B"));
    child_process router({self_path(), "--child", "router", "--child-count", "1"});
    auto line = router.read_line(std::chrono::seconds(10));
    if (!line || !line->starts_with("endpoint ")) {
        out.push_back(skipped("bare ROUTER bytes per connection", "bare router did not start"));
        return;
    }
    auto bare = with_peers(router.pid(), clients_of(line->substr(9), o.clients));
    if (!bare.error.empty()) {
        out.push_back(skipped("bare ROUTER bytes per connection", bare.error));
        return;
    }
    out.push_back(figure("bare ROUTER bytes per connection", bare.per(o.clients), "B",
                         "libzmq's own buffers, the floor"));
    out.push_back(figure("broker bytes per client beyond bare ROUTER",
                         clients.per(o.clients) - bare.per(o.clients), "B", "target <= 1024"));
}

void workers(const bench_options& o, std::vector<memory_figure>& out) {
    const auto name = "broker RSS, " + std::to_string(o.workers) + " workers";
    broker_child broker(o.broker_binary, 10000);
    if (!broker.error().empty()) {
        out.push_back(skipped(name, broker.error()));
        return;
    }
    holder_spec spec{"workers", broker.endpoint(), o.workers, "idle-pool", "idle", 500};
    auto d = with_peers(broker.pid(), spec);
    if (!d.error.empty()) {
        out.push_back(skipped(name, d.error));
        return;
    }
    out.push_back(figure(name, d.after / mib, "MiB"));
    out.push_back(figure("broker bytes per worker", d.per(o.workers), "B",
                         "one service, idle plain 7/MDP workers"));
}

void queued(const bench_options& o, std::vector<memory_figure>& out) {
    const auto name = "broker RSS, " + std::to_string(o.queued) + " queued requests";
    broker_child broker(o.broker_binary, o.queued);
    if (!broker.error().empty()) {
        out.push_back(skipped(name, broker.error()));
        return;
    }
    holder_spec spec{"flood", broker.endpoint(), o.queued, "flood", "idle", 500};
    auto d = with_peers(broker.pid(), spec);
    if (!d.error.empty()) {
        out.push_back(skipped(name, d.error));
        return;
    }
    const double per = d.per(o.queued);
    out.push_back(figure(name, d.after / mib, "MiB", "--max-queue " + std::to_string(o.queued)));
    out.push_back(figure("broker bytes per queued request", per, "B", "100 B plain MDP body"));
    out.push_back(
        figure("broker bytes per queued request beyond payload", per - 100, "B", "target <= 1024"));
}

}  // namespace

std::vector<memory_figure> measure_memory(const bench_options& o) {
    std::vector<memory_figure> out;
    if (auto why = fd_shortfall(static_cast<std::uint64_t>(o.clients) + 128); !why.empty()) {
        out.push_back(skipped("broker RSS with clients", why));
    } else if (auto holder = fd_shortfall(holder_fds(o.clients)); !holder.empty()) {
        out.push_back(skipped("broker RSS with clients", holder));
    } else {
        idle_and_clients(o, out);
    }
    workers(o, out);
    queued(o, out);
    return out;
}

}  // namespace skynet::bench

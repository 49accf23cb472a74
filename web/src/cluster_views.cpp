// cluster_model's reads: what the API serves and a stream's snapshot.
#include "cluster_model.hpp"
#include "json_text.hpp"
#include "skynet/sky/views.hpp"

namespace skynet::web {

using nlohmann::json;
using registry::instance;
using registry::instance_kind;

bool cluster_model::redis_up() const {
    std::lock_guard lock(mutex_);
    return redis_up_;
}

std::vector<instance> cluster_model::instances() const {
    std::lock_guard lock(mutex_);
    std::vector<instance> out;
    out.reserve(instances_.size());
    for (const auto& [id, r] : instances_) {
        out.push_back(r);
    }
    return out;
}

std::vector<instance> cluster_model::of_kind(instance_kind kind) const {
    std::lock_guard lock(mutex_);
    std::vector<instance> out;
    for (const auto& [id, r] : instances_) {
        if (r.kind == kind) {
            out.push_back(r);
        }
    }
    return out;
}

std::vector<sky::daemon_listing> cluster_model::listings() const {
    std::lock_guard lock(mutex_);
    return listings_;
}

json cluster_model::instances_json(const sky::filters& f) const {
    const auto q = f.to_query();
    std::lock_guard lock(mutex_);
    std::vector<instance> chosen;
    for (const auto& [id, r] : instances_) {
        if (q.matches(r)) {
            chosen.push_back(r);
        }
    }
    sky::sort_for_listing(chosen);
    json out = json::array();
    for (const auto& r : chosen) {
        out.push_back(record_json(r));
    }
    return out;
}

// region -> host -> {daemon, instances}, sorted by name at every level.
json cluster_model::topology_json() const {
    std::lock_guard lock(mutex_);
    std::vector<instance> all;
    for (const auto& [id, r] : instances_) {
        all.push_back(r);
    }
    sky::sort_for_listing(all);
    std::map<std::string, std::map<std::string, json>> regions;
    for (const auto& r : all) {
        auto& host = regions[r.region][r.host];
        if (host.is_null()) {
            host = json{{"host", r.host}, {"daemon", nullptr}, {"instances", json::array()}};
        }
        if (r.kind == instance_kind::daemon) {
            host["daemon"] = record_json(r);
        } else {
            host["instances"].push_back(record_json(r));
        }
    }
    json out = json::array();
    for (auto& [region, hosts] : regions) {
        json list = json::array();
        for (auto& [name, host] : hosts) {
            list.push_back(std::move(host));
        }
        out.push_back(json{{"region", region}, {"hosts", std::move(list)}});
    }
    return json{{"regions", std::move(out)}};
}

json cluster_model::services_json() const {
    std::lock_guard lock(mutex_);
    return services_;
}

json cluster_model::snapshot_json() const {
    json instances = json::array(), brokers = json::array();
    for (const auto& [id, r] : instances_) {
        auto j = record_json(r);
        if (r.kind == instance_kind::broker) {
            brokers.push_back(j);
        }
        instances.push_back(std::move(j));
    }
    return json{{"instances", std::move(instances)},
                {"services", services_},
                {"brokers", std::move(brokers)},
                {"events", events_},
                {"redis", redis_up_ ? "up" : "down"}};
}

bool cluster_model::attach(stream_slot& slot, std::optional<std::uint64_t> last_id) {
    std::lock_guard lock(mutex_);
    return hub_.attach(slot, last_id, [&] { return json_text(snapshot_json()); });
}

}  // namespace skynet::web

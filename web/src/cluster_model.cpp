#include "cluster_model.hpp"

#include "json_text.hpp"
#include "skynet/sky/records.hpp"
#include "skynet/sky/views.hpp"

namespace skynet::web {

using nlohmann::json;
using registry::instance;

namespace {

// "worker echo@1.0 on h1", "broker on h1".
std::string describe(const instance& r) {
    // Appended piece by piece: GCC 12 at -O2 warns (-Wrestrict, a false
    // positive) on `" " + std::string&&`.
    std::string what(registry::to_string(r.kind));
    if (r.kind == registry::instance_kind::worker) {
        what += ' ';
        what += sky::release_of(r);
    }
    what += " on ";
    what += r.host;
    return what;
}

}  // namespace

cluster_model::cluster_model(const dashboard_options& options, event_hub& hub)
    : options_(options), hub_(hub), figures_(options) {}

json cluster_model::record_json(const instance& r) const {
    auto j = sky::to_json(r);
    const auto at = r.managed_by.empty() ? processes_.end() : processes_.find(r.id);
    if (at != processes_.end()) {
        j["restarts"] = at->second.restarts;
        j["process_state"] = at->second.state;
    } else {
        j["restarts"] = nullptr;
        j["process_state"] = nullptr;
    }
    return j;
}

void cluster_model::publish_instance(const char* change, const instance& r) {
    json delta{{"change", change}, {"id", r.id}, {"record", record_json(r)}};
    hub_.publish("instance", json_text(delta));
}

void cluster_model::log_entry(json entry) {
    hub_.publish("log", json_text(entry));
    events_.push_back(std::move(entry));
    while (events_.size() > options_.events_kept) {
        events_.pop_front();
    }
}

void cluster_model::log(std::string kind, std::string text, const instance* r, std::int64_t at) {
    log_entry(json{{"time_ms", at != 0 ? at : registry::wall_clock_ms()},
                   {"kind", std::move(kind)},
                   {"text", std::move(text)},
                   {"service", r != nullptr ? r->service : ""},
                   {"host", r != nullptr ? r->host : ""},
                   {"id", r != nullptr ? r->id : ""}});
}

void cluster_model::added(const instance& r) {
    std::lock_guard lock(mutex_);
    redis_is(true);
    instances_[r.id] = r;
    publish_instance("added", r);
    log("added", describe(r) + " added", &r);
}

void cluster_model::updated(const instance& r) {
    std::lock_guard lock(mutex_);
    redis_is(true);
    auto& kept = instances_[r.id];
    const bool flipped = kept.id == r.id && kept.registered != r.registered;
    kept = r;
    publish_instance("updated", r);
    if (flipped) {
        auto kind = r.registered ? "registered" : "unregistered";
        log(kind, describe(r) + " " + kind, &r);
    }
}

void cluster_model::removed(const instance& r) {
    std::lock_guard lock(mutex_);
    redis_is(true);
    instances_.erase(r.id);
    publish_instance("removed", r);
    log("removed", describe(r) + " removed", &r);
}

void cluster_model::set_redis(bool up) {
    std::lock_guard lock(mutex_);
    redis_is(up);
}

// A change from the listener means it reads Redis: up at once, before the
// change, rather than at the next tick.
void cluster_model::redis_is(bool up) {
    if (up == redis_up_) {
        return;
    }
    redis_up_ = up;
    hub_.publish("status", json_text(json{{"redis", up ? "up" : "down"}}));
}

// skyd's JSON (daemon/skyd/event_publisher.hpp); anything else is dropped.
void cluster_model::daemon_event(std::string_view text) {
    const auto j = json::parse(text, nullptr, false);
    if (!j.is_object()) {
        return;
    }
    const auto text_of = [&](const char* key) {
        const auto at = j.find(key);
        return at != j.end() && at->is_string() ? at->get<std::string>() : std::string();
    };
    const auto time_at = j.find("time_ms");
    const std::int64_t at =
        time_at != j.end() && time_at->is_number_integer() ? time_at->get<std::int64_t>() : 0;
    const auto kind = text_of("kind");
    if (kind.empty()) {
        return;
    }
    auto detail = text_of("text");
    const auto line = text_of("process") + " " + kind + (detail.empty() ? "" : ": " + detail);
    std::lock_guard lock(mutex_);
    log_entry(json{{"time_ms", at != 0 ? at : registry::wall_clock_ms()},
                   {"kind", kind},
                   {"text", line},
                   {"service", text_of("service")},
                   {"host", text_of("host")},
                   {"id", text_of("process")}});
}

void cluster_model::set_listings(std::vector<sky::daemon_listing> listings) {
    std::map<std::string, process_info> fresh;
    for (const auto& l : listings) {
        for (const auto& row : l.answer.processes) {
            fresh[row.id] = {row.restarts, std::string(daemon::to_string(row.state))};
        }
    }
    std::lock_guard lock(mutex_);
    listings_ = std::move(listings);
    std::swap(processes_, fresh);
    for (const auto& [id, r] : instances_) {
        const auto now = processes_.find(id);
        const auto before = fresh.find(id);
        const bool was = before != fresh.end(), is = now != processes_.end();
        if (was != is || (was && (before->second.restarts != now->second.restarts ||
                                  before->second.state != now->second.state))) {
            publish_instance("updated", r);
        }
    }
}

void cluster_model::tick(const std::map<std::string, service_load>& loads) {
    std::lock_guard lock(mutex_);
    services_ = figures_.update(instances_, loads, std::chrono::steady_clock::now(),
                                registry::wall_clock_ms());
    hub_.publish("services", json_text(services_));
}

}  // namespace skynet::web

#pragma once
// The dashboard's model of the cluster: the live instances (fed by the
// registry's listener), what the host daemons say about the processes they
// manage, the per-service figures, the event log and whether Redis answers.
// Every change is published to the event hub as it is applied, under the
// model's lock, so that a stream's snapshot and its deltas line up.
//
// Thread-safe: the listener, the ticker, the daemon-events subscriber and
// the HTTP threads all call it.

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event_hub.hpp"
#include "service_figures.hpp"
#include "skynet/registry/instance.hpp"
#include "skynet/sky/daemon_routing.hpp"
#include "skynet/sky/filters.hpp"
#include "skynet/web/dashboard_options.hpp"

namespace skynet::web {

// A managed process as its daemon listed it.
struct process_info {
    int restarts = 0;
    std::string state;  // "running", "backoff", "crash-looping", ...
};

class cluster_model {
public:
    cluster_model(const dashboard_options& options, event_hub& hub);

    // The registry listener's callbacks.
    void added(const registry::instance& r);
    void updated(const registry::instance& r);
    void removed(const registry::instance& r);
    // Publishes a status event when it changes.
    void set_redis(bool up);
    // One message of `<prefix>daemon-events` (skyd's JSON); garbage is ignored.
    void daemon_event(std::string_view text);
    // The daemons' latest listings (the ticker polls them).
    void set_listings(std::vector<sky::daemon_listing> listings);
    // Recomputes the figures and publishes them as a `services` event.
    void tick(const std::map<std::string, service_load>& loads);

    // Reads for the API.
    bool redis_up() const;
    std::vector<registry::instance> instances() const;
    std::vector<registry::instance> of_kind(registry::instance_kind kind) const;
    std::vector<sky::daemon_listing> listings() const;
    nlohmann::json instances_json(const sky::filters& f) const;
    nlohmann::json topology_json() const;
    nlohmann::json services_json() const;
    // Attaches a stream: deltas after `last_id`, else a snapshot first.
    bool attach(stream_slot& slot, std::optional<std::uint64_t> last_id);

private:
    nlohmann::json record_json(const registry::instance& r) const;
    nlohmann::json snapshot_json() const;
    void log(std::string kind, std::string text, const registry::instance* r, std::int64_t at = 0);
    void log_entry(nlohmann::json entry);
    void publish_instance(const char* change, const registry::instance& r);
    void redis_is(bool up);  // under the lock

    const dashboard_options& options_;
    event_hub& hub_;
    mutable std::mutex mutex_;  // guards what follows
    std::map<std::string, registry::instance> instances_;
    std::map<std::string, process_info> processes_;  // managed process id ->
    std::vector<sky::daemon_listing> listings_;
    std::deque<nlohmann::json> events_;
    nlohmann::json services_ = nlohmann::json::array();
    service_figures figures_;
    bool redis_up_ = false;
};

}  // namespace skynet::web

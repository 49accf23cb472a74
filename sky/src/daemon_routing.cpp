#include "skynet/sky/daemon_routing.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace skynet::sky {

namespace {

bool named(const std::vector<std::string>& ids, const std::string& id) {
    return ids.empty() || std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Only a daemon can start, reset or undeploy; stop and restart also reach
// processes nobody manages.
bool plain_can(daemon_action action) {
    return action == daemon_action::stop || action == daemon_action::restart;
}

}  // namespace

std::string_view to_string(daemon_action action) noexcept {
    switch (action) {
        case daemon_action::start:
            return "start";
        case daemon_action::stop:
            return "stop";
        case daemon_action::restart:
            return "restart";
        case daemon_action::reset:
            return "reset";
        case daemon_action::undeploy:
            return "undeploy";
    }
    return "unknown";
}

bool row_matches(const filters& f, const daemon::process_row& row,
                 const registry::instance& daemon) {
    const auto& host = row.host.empty() ? daemon.host : row.host;
    if ((f.service && *f.service != row.service) || (f.host && *f.host != host) ||
        (f.region && *f.region != daemon.region)) {
        return false;
    }
    if (f.version || (f.registered && *f.registered)) {
        return false;  // rows carry neither: only live records can match
    }
    return !f.kind || *f.kind == registry::instance_kind::worker;
}

route_plan plan_routes(daemon_action action, const filters& f,
                       const std::vector<registry::instance>& live,
                       const std::vector<daemon_listing>& listings,
                       const std::vector<std::string>& ids) {
    route_plan plan;
    std::unordered_set<std::string> seen;
    std::unordered_map<std::string, std::string> host_of;  // daemon id -> host
    for (const auto& l : listings) {
        host_of.emplace(l.daemon.id, l.daemon.host);
    }
    for (const auto& r : live) {
        if (r.kind == registry::instance_kind::daemon || !named(ids, r.id) ||
            !seen.insert(r.id).second) {
            continue;
        }
        if (!r.managed_by.empty()) {
            auto host = host_of.find(r.managed_by);
            plan.managed.push_back(
                {r.managed_by, host == host_of.end() ? r.host : host->second, r.id});
        } else if (plain_can(action)) {
            plan.plain.push_back(r);
        } else {
            plan.refused.push_back(r.id + ": not managed by a host daemon");
        }
    }
    for (const auto& l : listings) {
        for (const auto& row : l.answer.processes) {
            if (!named(ids, row.id) || seen.contains(row.id)) {
                continue;
            }
            if ((ids.empty() && !row_matches(f, row, l.daemon))) {
                continue;
            }
            seen.insert(row.id);
            plan.managed.push_back({l.daemon.id, l.daemon.host, row.id});
        }
    }
    return plan;
}

}  // namespace skynet::sky

#include "skynet/registry/broker_directory.hpp"

#include <algorithm>

namespace skynet::registry {

query directory_policy::broker_query() const {
    query q{.kind = instance_kind::broker};
    if (region_only && region) {
        q.region = *region;
    }
    if (registered_only) {
        q.registered = true;
    }
    return q;
}

bool lists_service(std::span<const std::string> services, std::string_view service) noexcept {
    auto less = [](std::string_view a, std::string_view b) { return a < b; };
    if (std::binary_search(services.begin(), services.end(), service, less)) {
        return true;
    }
    if (service.find('@') != std::string_view::npos) {
        return false;
    }
    // The first entry not below "name@", without building that string.
    auto below_versions = [](std::string_view a, std::string_view name) {
        const int c = a.compare(0, name.size(), name);
        if (c != 0) {
            return c < 0;
        }
        return a.size() == name.size() || a[name.size()] < '@';
    };
    auto at = std::lower_bound(services.begin(), services.end(), service, below_versions);
    return at != services.end() && std::string_view(*at).starts_with(service) &&
           at->size() > service.size() && (*at)[service.size()] == '@';
}

int directory_policy::rank(std::string_view broker_region, std::span<const std::string> services,
                           bool vanished, std::string_view service) const noexcept {
    const bool serves = lists_service(services, service);
    if (vanished) {
        // Maybe only Redis forgot it: while it answers, a last resort for
        // what it served.
        return serves ? 1 : 0;
    }
    const bool home = !region || broker_region == *region;
    if (!home && region_only) {
        return 0;
    }
    if (serves) {
        return home ? 3 : 2;
    }
    return home ? 1 : 0;
}

double load_weight(const broker_load_record& load) noexcept {
    // A queue is the sign that matters: requests wait there for a worker,
    // while CPU only says the loop is busy. Both are capped so that no
    // broker weighs 0: it would never be tried again until it reported.
    const double headroom =
        1.0 - static_cast<double>(std::min<std::uint64_t>(load.cpu_percent, 95)) / 100.0;
    return headroom / (1.0 + static_cast<double>(load.queued));
}

broker_directory::broker_directory(directory_policy policy) : policy_(std::move(policy)) {}

bool broker_directory::seen(const instance& broker, bus::time_point now) {
    if (broker.kind != instance_kind::broker || broker.endpoint.empty() ||
        !policy_.broker_query().matches(broker) ||
        (!policy_.curve_key.empty() && broker.curve_key != policy_.curve_key)) {
        return gone(broker, now);
    }
    broker_entry entry{broker.id,       broker.endpoint, broker.region,
                       broker.services, false,           broker.load};
    std::sort(entry.services.begin(), entry.services.end());
    const auto before = brokers();
    known_.insert_or_assign(broker.id, known{std::move(entry), bus::time_point::max()});
    return brokers() != before;
}

bool broker_directory::gone(const instance& broker, bus::time_point now) {
    auto it = known_.find(broker.id);
    if (it == known_.end() || it->second.entry.vanished) {
        return false;
    }
    const auto before = brokers();
    if (policy_.grace <= std::chrono::milliseconds::zero()) {
        known_.erase(it);
    } else {
        it->second.entry.vanished = true;
        it->second.leave_at = policy_.grace == std::chrono::milliseconds::max()
                                  ? bus::time_point::max()
                                  : now + policy_.grace;
    }
    return brokers() != before;
}

bool broker_directory::expire(bus::time_point now) {
    const auto before = brokers();
    std::erase_if(known_, [&](const auto& item) { return item.second.leave_at <= now; });
    return brokers() != before;
}

std::optional<bus::time_point> broker_directory::next_expiry() const {
    std::optional<bus::time_point> next;
    for (const auto& [id, k] : known_) {
        if (k.leave_at != bus::time_point::max() && (!next || k.leave_at < *next)) {
            next = k.leave_at;
        }
    }
    return next;
}

std::vector<broker_entry> broker_directory::brokers() const {
    std::map<std::string, const broker_entry*> by_endpoint;
    for (const auto& [id, k] : known_) {
        auto& chosen = by_endpoint[k.entry.endpoint];
        if (chosen == nullptr || (chosen->vanished && !k.entry.vanished)) {
            chosen = &k.entry;
        }
    }
    std::vector<broker_entry> out;
    out.reserve(by_endpoint.size());
    for (const auto& [endpoint, entry] : by_endpoint) {
        out.push_back(*entry);
    }
    return out;
}

std::vector<std::string> broker_directory::endpoints() const {
    std::vector<std::string> out;
    for (auto& entry : brokers()) {
        out.push_back(std::move(entry.endpoint));
    }
    return out;
}

std::vector<std::string> broker_directory::endpoints_for(std::string_view service) const {
    std::vector<std::string> best;
    int best_rank = 2;  // serving it, live
    for (auto& entry : brokers()) {
        const int r = policy_.rank(entry.region, entry.services, entry.vanished, service);
        if (r < best_rank) {
            continue;
        }
        if (r > best_rank) {
            best.clear();
            best_rank = r;
        }
        best.push_back(std::move(entry.endpoint));
    }
    return best;
}

}  // namespace skynet::registry

#include "service_snapshot.hpp"

#include <algorithm>
#include <unordered_map>

#include "service_table.hpp"
#include "worker_pool.hpp"

namespace skynet::broker_detail {

std::vector<service_snapshot> snapshot_services(const service_table& services,
                                                worker_pool& workers) {
    std::vector<service_snapshot> out;
    std::unordered_map<const service*, std::size_t> index;
    services.for_each([&](const service& svc) {
        index.emplace(&svc, out.size());
        auto& s = out.emplace_back();
        s.name = svc.name;
        s.queued = svc.queue.size();
        s.workers = svc.workers;
        s.outcomes = svc.cells.outcomes;
        s.duration = svc.cells.duration.snapshot();
    });
    // A worker counts in each service it serves ("name@version" and "name").
    for (const auto* w : workers.everyone()) {
        for (int i = 0; i < w->entry_count; ++i) {
            auto found = index.find(w->entries[i].svc);
            if (found != index.end()) {
                auto& s = out[found->second];
                ++(w->holding > 0 ? s.busy : s.idle);
            }
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
}

bus::mmi::service_figures figures_of(const service_snapshot& s) {
    bus::mmi::service_figures f;
    f.name = s.name;
    f.queued = s.queued;
    f.workers = s.workers;
    f.idle = s.idle;
    f.busy = s.busy;
    for (std::size_t code = 0; code < s.outcomes.size(); ++code) {
        f.requests += s.outcomes[code];
        if (code != static_cast<std::size_t>(bus::errc::ok)) {
            f.errors += s.outcomes[code];
        }
    }
    return f;
}

}  // namespace skynet::broker_detail

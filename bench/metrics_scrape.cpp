// What a scrape of a large broker's /metrics costs (issue: under 100 ms for
// 10,000 services): a broker with --services idle plain workers, one
// service each, held in other processes, scraped a few times over HTTP.
// Each scrape copies the broker's tables on its thread, and prometheus-cpp
// serialises them.
#include <algorithm>
#include <vector>

#include "fleet.hpp"
#include "peers.hpp"
#include "scenarios.hpp"
#include "scraper.hpp"

namespace skynet::bench {

namespace {
constexpr int scrapes = 5;

std::string ms_text(std::chrono::nanoseconds d) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f ms", static_cast<double>(d.count()) / 1e6);
    return text;
}
}  // namespace

scenario_result run_metrics_scrape(const bench_options& o) {
    scenario_result s;
    s.name = "metrics-scrape";
    s.description = "GET /metrics of a broker knowing " + std::to_string(o.services) +
                    " services (one idle worker each)";
    if (auto why = fd_shortfall(static_cast<std::uint64_t>(o.services) + 512); !why.empty()) {
        s.skipped = why;
        return s;
    }
    broker_options options;
    options.metrics_listen = "127.0.0.1:0";
    options.heartbeat = std::chrono::milliseconds(10000);  // as a broker of that size would run
    inproc_broker broker(options);
    const holder_group fleet(
        holder_spec{"workers", broker.endpoint(), o.services, "", "idle", 10000});
    if (!fleet.error().empty()) {
        s.skipped = fleet.error();
        return s;
    }
    const auto expected = static_cast<std::uint64_t>(o.services);
    if (!wait_until([&] { return broker.stats().workers >= expected; }, std::chrono::seconds(60))) {
        s.skipped = "only " + std::to_string(broker.stats().workers) + " workers registered";
        return s;
    }
    std::vector<timed_scrape> taken;
    for (int i = 0; i < scrapes; ++i) {
        if (auto t = scrape_once(broker.metrics_address())) {
            taken.push_back(*t);
        }
    }
    if (taken.empty()) {
        s.skipped = "the broker's /metrics did not answer";
        return s;
    }
    std::sort(taken.begin(), taken.end(),
              [](const auto& a, const auto& b) { return a.took < b.took; });
    const auto& median = taken[taken.size() / 2];
    s.note = "scrape: median " + ms_text(median.took) + ", slowest " + ms_text(taken.back().took) +
             " of " + std::to_string(taken.size()) + "; " + std::to_string(median.bytes / 1024) +
             " KiB, " + std::to_string(median.samples) + " samples; broker knows " +
             std::to_string(broker.stats().services) + " services";
    return s;
}

}  // namespace skynet::bench

// What a scrape of a large broker's /metrics costs (issue: under 100 ms for
// 10,000 services): a broker with --services plain workers, one service
// each, held in other processes, scraped a few times over HTTP; first while
// nobody has called them (queue and worker series only), then after one
// call to each, when every service carries its outcome and duration series
// too, as on a broker in use. Each scrape copies the broker's tables on its
// thread, and prometheus-cpp serialises them.
#include <algorithm>
#include <cstdio>
#include <vector>
#include <zmq.hpp>

#include "fleet.hpp"
#include "peers.hpp"
#include "scenarios.hpp"
#include "scraper.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/bus/mdp.hpp"

namespace skynet::bench {

namespace {
constexpr int scrapes = 7;

std::string ms_text(std::chrono::nanoseconds d) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f ms", static_cast<double>(d.count()) / 1e6);
    return text;
}

// `scrapes` scrapes, described: "median M, slowest S of N; K KiB, n samples"
// (with `gzip`, the compressed size).
std::string scrape_figures(const std::string& address, bool gzip) {
    std::vector<timed_scrape> taken;
    for (int i = 0; i < scrapes; ++i) {
        if (auto t = scrape_once(address, gzip)) {
            taken.push_back(*t);
        }
    }
    if (taken.empty()) {
        return "the broker's /metrics did not answer";
    }
    std::sort(taken.begin(), taken.end(),
              [](const auto& a, const auto& b) { return a.took < b.took; });
    const auto& median = taken[taken.size() / 2];
    auto text = "median " + ms_text(median.took) + ", slowest " + ms_text(taken.back().took) +
                " of " + std::to_string(taken.size()) + "; " + std::to_string(median.bytes / 1024) +
                " KiB";
    if (gzip) {
        return text + (median.gzip ? " gzip" : " (not compressed)");
    }
    return text + ", " + std::to_string(median.samples) + " samples";
}

// Plain and gzip (what Prometheus asks for by default) scrapes, described.
std::string scrape_both(const std::string& address) {
    return scrape_figures(address, false) + "; with gzip: " + scrape_figures(address, true);
}

// One plain 7/MDP call to each of `count` services (prefix-0 ...), all sent
// at once: the idle workers read only at their heartbeat once settled
// (child_roles.cpp), so they answer together. The number answered.
int call_each(const std::string& endpoint, const std::string& prefix, int count) {
    zmq::context_t context(1);
    zmq::socket_t client(context, zmq::socket_type::dealer);
    client.set(zmq::sockopt::linger, 0);
    client.connect(endpoint);
    bus::frames out;
    bus::frames in;
    int sent = 0;
    int answered = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (answered < count && std::chrono::steady_clock::now() < deadline) {
        while (sent < count) {
            out.clear();
            bus::mdp::put_client_header(out, prefix + "-" + std::to_string(sent++));
            out.push_back(bus::frame_of("x"));
            bus::send_frames(client, out, false);
        }
        zmq::pollitem_t item{client.handle(), 0, ZMQ_POLLIN, 0};
        zmq::poll(&item, 1, std::chrono::milliseconds(100));
        while (bus::recv_frames(client, in)) {
            ++answered;
        }
    }
    return answered;
}
}  // namespace

scenario_result run_metrics_scrape(const bench_options& o) {
    scenario_result s;
    s.name = "metrics-scrape";
    s.description = "GET /metrics of a broker knowing " + std::to_string(o.services) +
                    " services (one worker each), before and after one call to each";
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
    const auto idle = scrape_both(broker.metrics_address());
    const auto called = call_each(broker.endpoint(), "idle", o.services);
    const auto busy = scrape_both(broker.metrics_address());
    s.note = "scrape of " + std::to_string(broker.stats().services) +
             " services nobody called: " + idle + "; after one call to each (" +
             std::to_string(called) + " answered), every service with its series: " + busy;
    return s;
}

}  // namespace skynet::bench

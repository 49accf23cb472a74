// A real worker's /metrics and registry figures: outcomes by method and
// code moved by exactly the calls made, the handling-time histogram counts
// them, and the record carries p50, p95 and the last error.
#include <gtest/gtest.h>

#include "scrape.hpp"
#include "skynet/client/client.hpp"
#include "skynet/registry/connection.hpp"
#include "skynet/registry/redis_url.hpp"
#include "skynet/worker/worker.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/redis_server.hpp"

namespace skynet::testing {
namespace {

std::unique_ptr<worker> start_counted_worker(worker_options options) {
    auto w = std::make_unique<worker>(std::move(options));
    w->handle("Echo", [](const request& req) { return bus::bson_doc::copy_of(req.params()); });
    w->handle("Fail",
              [](const request&) -> bus::bson_doc { throw std::runtime_error("disk full"); });
    w->start();
    return w;
}

void make_calls(client& c, const std::string& service, const std::string& method, int n) {
    for (int i = 0; i < n; ++i) {
        auto r = c.call(service, method, bus::bson_doc());
        ASSERT_TRUE(r || r.err().code != errc::timeout) << method;
    }
}

TEST(WorkerMetrics, CountsEveryCallByMethodAndOutcome) {
    running_broker b;
    auto options = fast_worker_options("counted", b.endpoint());
    options.metrics_listen = "127.0.0.1:0";
    auto w = start_counted_worker(options);
    ASSERT_FALSE(w->metrics_address().empty());
    client c(fast_client_options(b.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "counted"));
    make_calls(c, "counted", "Echo", 6);
    make_calls(c, "counted", "Fail", 4);
    make_calls(c, "counted", "Nope", 2);

    const auto s = scrape(w->metrics_address());
    ASSERT_EQ(s.status, 200);
    const std::string total = "skynet_worker_requests_total";
    EXPECT_EQ(s.value(total + R"({method="Echo",code="OK"})"), 6) << s.text;
    EXPECT_EQ(s.value(total + R"({method="Fail",code="SERVICE_ERROR"})"), 4);
    EXPECT_EQ(s.value(total + R"x({method="(unknown)",code="UNKNOWN_METHOD"})x"), 2);
    EXPECT_FALSE(s.mentions(R"(method="Nope")")) << "callers must not grow the label set";
    EXPECT_EQ(s.value(R"(skynet_worker_request_duration_seconds_count{method="Echo"})"), 6);
    EXPECT_EQ(s.value(R"(skynet_worker_request_duration_seconds_count{method="Fail"})"), 4);
    EXPECT_EQ(s.value("skynet_worker_requests_received_total"), 12);
    EXPECT_EQ(s.value("skynet_worker_errors_total"), 6);
}

TEST(WorkerMetrics, TheRecordCarriesPercentilesAndTheLastError) {
    redis_server redis;
    running_broker b;
    auto options = fast_worker_options("recorded", b.endpoint());
    options.redis = redis.url();
    options.stats_interval = std::chrono::milliseconds(50);
    auto w = start_counted_worker(options);
    client c(fast_client_options(b.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "recorded"));
    make_calls(c, "recorded", "Echo", 20);
    make_calls(c, "recorded", "Fail", 1);

    auto settings = registry::options_from_url(redis.url());
    ASSERT_TRUE(settings);
    auto found = [&]() -> std::optional<registry::instance> {
        auto connection = registry::connection::open(*settings);
        if (!connection) {
            return std::nullopt;
        }
        auto records = connection->find({.service = "recorded"});
        if (!records || records->size() != 1) {
            return std::nullopt;
        }
        return records->front();
    };
    EXPECT_TRUE(eventually([&] {
        auto r = found();
        return r && r->stats.requests == 21 && r->stats.latency_p50_us > 0 &&
               r->stats.latency_p95_us >= r->stats.latency_p50_us &&
               r->stats.latency_p99_us >= r->stats.latency_p95_us &&
               r->stats.last_error == "SERVICE_ERROR: disk full";
    })) << (found() ? found()->stats.last_error : "no record");
}

}  // namespace
}  // namespace skynet::testing

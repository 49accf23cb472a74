// A real broker's /metrics, scraped over HTTP while a worker and a client
// use it: per-service outcome counters move by exactly the calls made, by
// code; the duration histogram counts them; the counter table's rows are
// there; mmi.service_stats tells the same; a departed service's series go.
#include <gtest/gtest.h>

#include <thread>

#include "scrape.hpp"
#include "skynet/broker/broker.hpp"
#include "skynet/bus/mmi.hpp"
#include "skynet/client/client.hpp"
#include "skynet/worker/worker.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

// A broker on its own thread serving /metrics on a port of its own.
class metered_broker {
public:
    explicit metered_broker(std::size_t max_message_size = 0) {
        auto options = fast_broker_options();
        options.metrics_listen = "127.0.0.1:0";
        if (max_message_size != 0) {
            options.max_message_size = max_message_size;
        }
        broker_ = std::make_unique<broker>(options, context_);
        thread_ = std::thread([this] { broker_->run(); });
    }
    ~metered_broker() {
        broker_->stop();
        thread_.join();
    }
    std::string endpoint() const { return broker_->endpoint(); }
    std::string metrics() const { return broker_->metrics_address(); }

private:
    zmq::context_t context_{1};
    std::unique_ptr<broker> broker_;
    std::thread thread_;
};

// "Echo" answers, "Fail" throws (SERVICE_ERROR); any other method is UNKNOWN_METHOD.
std::unique_ptr<worker> start_metered_worker(const std::string& broker, const std::string& name) {
    auto w = std::make_unique<worker>(fast_worker_options(name, broker));
    w->handle("Echo", [](const request& req) { return bus::bson_doc::copy_of(req.params()); });
    w->handle("Fail", [](const request&) -> bus::bson_doc {
        throw std::runtime_error("failing on purpose");
    });
    w->start();
    return w;
}

int call_n(client& c, const std::string& service, const std::string& method, int n) {
    int answered = 0;
    for (int i = 0; i < n; ++i) {
        auto r = c.call(service, method, bus::bson_doc());
        answered += r || r.err().code != errc::timeout ? 1 : 0;
    }
    return answered;
}

std::string series(const std::string& name, const std::string& labels) {
    return name + "{" + labels + "}";
}

TEST(BrokerMetrics, CountsEveryCallByOutcomeAndTimesThem) {
    metered_broker b;
    ASSERT_FALSE(b.metrics().empty());
    auto w = start_metered_worker(b.endpoint(), "metered");
    client c(fast_client_options(b.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "metered"));
    ASSERT_EQ(call_n(c, "metered", "Echo", 7), 7);
    ASSERT_EQ(call_n(c, "metered", "Fail", 3), 3);
    ASSERT_EQ(call_n(c, "metered", "Nope", 2), 2);

    const auto s = scrape(b.metrics());
    ASSERT_EQ(s.status, 200);
    const std::string total = "skynet_broker_requests_total";
    EXPECT_EQ(s.value(series(total, R"(service="metered",code="OK")")), 7) << s.text;
    EXPECT_EQ(s.value(series(total, R"(service="metered",code="SERVICE_ERROR")")), 3);
    EXPECT_EQ(s.value(series(total, R"(service="metered",code="UNKNOWN_METHOD")")), 2);
    EXPECT_EQ(
        s.value(series("skynet_broker_request_duration_seconds_count", R"(service="metered")")),
        12);
    EXPECT_EQ(s.value(series("skynet_broker_request_duration_seconds_bucket",
                             R"(service="metered",le="+Inf")")),
              12);
    EXPECT_EQ(s.value(series("skynet_broker_workers", R"(service="metered",state="idle")")) +
                  s.value(series("skynet_broker_workers", R"(service="metered",state="busy")")),
              1);
    EXPECT_EQ(s.get(series("skynet_broker_queue_depth", R"(service="metered")")), 0.0);
    // The counter table, row by row: the same cells as mmi.stats.
    EXPECT_GE(s.value("skynet_broker_requests_received_total"), 12);
    EXPECT_GE(s.value("skynet_broker_replies_total"), 12);
    EXPECT_EQ(s.get("skynet_broker_workers_connected"), 1.0);
    EXPECT_TRUE(s.get("skynet_broker_malformed_total").has_value());
    EXPECT_TRUE(s.get("skynet_broker_workers_expired_total").has_value());
    EXPECT_TRUE(s.get("skynet_broker_batch_records_received_total").has_value());
    EXPECT_TRUE(s.get("skynet_broker_clients").has_value());
}

// A request the broker refuses before it looks its service up (here: over
// its size limit) still counts under that service once the broker knows it.
TEST(BrokerMetrics, ARefusedRequestCountsUnderItsService) {
    metered_broker b(4096);
    auto w = start_metered_worker(b.endpoint(), "limited");
    client c(fast_client_options(b.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "limited"));
    ASSERT_TRUE(c.call("limited", "Echo", bus::bson_doc()).ok());
    bus::bson_doc big;
    big.add_string("blob", std::string(8192, 'x'));
    ASSERT_EQ(c.call("limited", "Echo", big.view()).code(), bus::errc::bad_request);
    // Nobody serves "unheard-of": refused, and no series is made for it.
    ASSERT_EQ(c.call("unheard-of", "Echo", big.view()).code(), bus::errc::bad_request);

    const auto s = scrape(b.metrics());
    const std::string total = "skynet_broker_requests_total";
    EXPECT_EQ(s.value(series(total, R"(service="limited",code="OK")")), 1) << s.text;
    EXPECT_EQ(s.value(series(total, R"(service="limited",code="BAD_REQUEST")")), 1) << s.text;
    EXPECT_EQ(s.text.find(R"(service="unheard-of")"), std::string::npos) << s.text;
    EXPECT_EQ(s.value("skynet_broker_too_large_total"), 2);
}

TEST(BrokerMetrics, ServiceStatsAgreeWithTheScrape) {
    metered_broker b;
    auto w = start_metered_worker(b.endpoint(), "agreeing");
    client c(fast_client_options(b.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "agreeing"));
    ASSERT_EQ(call_n(c, "agreeing", "Echo", 5), 5);
    ASSERT_EQ(call_n(c, "agreeing", "Fail", 2), 2);

    bus::frames body;
    body.push_back(bus::frame_of(""));
    auto answer = c.call_raw(bus::mmi::service_stats, std::move(body), {});
    ASSERT_TRUE(answer) << answer.err().detail;
    ASSERT_EQ(answer->frames().size(), 2u);
    EXPECT_EQ(answer->frames()[0].to_string(), "200");
    auto doc = bus::bson_view::from_frame(answer->frames()[1]);
    ASSERT_TRUE(doc);
    auto figures = bus::mmi::decode_service_figures(*doc);
    ASSERT_TRUE(figures) << figures.err().detail;
    const bus::mmi::service_figures* mine = nullptr;
    for (const auto& f : *figures) {
        mine = f.name == "agreeing" ? &f : mine;
    }
    ASSERT_NE(mine, nullptr);
    EXPECT_EQ(mine->requests, 7u);
    EXPECT_EQ(mine->errors, 2u);
    EXPECT_EQ(mine->workers, 1u);
    EXPECT_EQ(mine->idle + mine->busy, 1u);
    EXPECT_EQ(mine->queued, 0u);
    const auto s = scrape(b.metrics());
    EXPECT_EQ(s.value(series("skynet_broker_requests_total", R"(service="agreeing",code="OK")")),
              static_cast<double>(mine->requests - mine->errors));
}

TEST(BrokerMetrics, ADepartedServicesSeriesDisappear) {
    metered_broker b;
    auto w = start_metered_worker(b.endpoint(), "leaving");
    client c(fast_client_options(b.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "leaving"));
    ASSERT_EQ(call_n(c, "leaving", "Echo", 3), 3);
    ASSERT_TRUE(scrape(b.metrics()).mentions(R"(service="leaving")"));
    w->stop();
    w->wait();
    EXPECT_TRUE(eventually([&] {
        const auto s = scrape(b.metrics());
        return s.status == 200 && !s.mentions(R"(service="leaving")");
    })) << scrape(b.metrics()).text;
}

}  // namespace
}  // namespace skynet::testing

// Dispatch: least recently used over the ready workers of a service, and
// "name@version" reaching only that version.
#include <gtest/gtest.h>

#include <map>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

std::unique_ptr<worker> start_named(const std::string& broker, const std::string& service,
                                    const std::string& version, const std::string& name) {
    auto w = std::make_unique<worker>(fast_worker_options(service, broker, version));
    w->handle("Who", [name](const request&) {
        bus::bson_doc result;
        result.add_string("name", name);
        return result;
    });
    w->start();
    return w;
}

std::string who(client& c, const std::string& service, const std::string& version = "") {
    call_options options;
    options.version = version;
    auto outcome = c.call(service, "Who", bus::bson_view{}, options);
    if (!outcome) {
        return std::string(bus::to_string(outcome.code()));
    }
    return std::string(outcome->result().get_string("name").value_or("?"));
}

TEST(Routing, LoadIsSpreadEvenlyOverThreeWorkers) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    std::vector<std::unique_ptr<worker>> workers;
    for (const char* name : {"a", "b", "c"}) {
        workers.push_back(start_named(broker.endpoint(), "spread", "1.0", name));
    }
    ASSERT_TRUE(eventually([&] { return broker.stats().workers == 3; }));

    std::map<std::string, int> served;
    constexpr int calls = 300;
    for (int i = 0; i < calls; ++i) {
        ++served[who(c, "spread")];
    }
    ASSERT_EQ(served.size(), 3u) << "answers came from: " << served.begin()->first;
    for (const auto& [name, count] : served) {
        // Least recently used with one call at a time is round robin; allow
        // some slack for a worker that reconnects on a noisy machine.
        EXPECT_GE(count, calls / 3 - 20) << name;
        EXPECT_LE(count, calls / 3 + 20) << name;
    }
}

TEST(Routing, AVersionReachesOnlyItsOwnWorkers) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto v1 = start_named(broker.endpoint(), "calc", "1.0", "v1");
    auto v2 = start_named(broker.endpoint(), "calc", "2.0", "v2");
    ASSERT_TRUE(wait_for_service(c, "calc@1.0"));
    ASSERT_TRUE(wait_for_service(c, "calc@2.0"));

    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(who(c, "calc", "1.0"), "v1");
        EXPECT_EQ(who(c, "calc", "2.0"), "v2");
    }
    std::map<std::string, int> any;
    for (int i = 0; i < 20; ++i) {
        ++any[who(c, "calc")];
    }
    EXPECT_EQ(any["v1"] + any["v2"], 20);
    EXPECT_GT(any["v1"], 0);
    EXPECT_GT(any["v2"], 0);
}

TEST(Routing, AnAbsentVersionEndsInUnknownService) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto v1 = start_named(broker.endpoint(), "calc", "1.0", "v1");
    ASSERT_TRUE(wait_for_service(c, "calc"));
    EXPECT_EQ(who(c, "calc", "9.9"), "UNKNOWN_SERVICE");
    EXPECT_EQ(mmi_service(c, "calc@9.9"), "404");
}

TEST(Routing, ManyCallsInFlightOverOneClientAreMatchedById) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    worker_options options = fast_worker_options("double", broker.endpoint());
    options.concurrency = 4;
    options.credit = 64;
    worker w(options);
    w.handle("Double", [](const request& req) {
        bus::bson_doc result;
        result.add_int64("value", 2 * req.params().get_int64("n").value_or(-1));
        return result;
    });
    w.start();
    ASSERT_TRUE(wait_for_service(c, "double"));

    constexpr int calls = 2000;
    std::vector<std::future<call_result>> futures;
    for (int i = 0; i < calls; ++i) {
        bus::bson_doc params;
        params.add_int64("n", i);
        futures.push_back(c.call_future("double", "Double", params.view()));
    }
    for (int i = 0; i < calls; ++i) {
        auto outcome = futures[i].get();
        ASSERT_TRUE(outcome.ok()) << i << ": " << outcome.err().detail;
        EXPECT_EQ(outcome->result().get_int64("value"), 2 * i);
    }
}

}  // namespace
}  // namespace skynet::testing

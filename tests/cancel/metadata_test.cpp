// Metadata and trace context end to end: a client's pairs reach the handler
// in order, on plain messages and in batch frames alike; a started trace is
// a valid traceparent the handler sees, and a nested call keeps it.
#include <gtest/gtest.h>

#include "cancel_fixture.hpp"
#include "skynet/bus/traceparent.hpp"

namespace skynet::testing {
namespace {

// "Meta" answers its request's metadata as "k=v;k=v;" and the value of
// "tenant" on its own.
void handle_meta(worker& w) {
    w.handle(
        "Meta",
        [](const request& req) {
            std::string all;
            for (const auto [key, value] : req.metadata()) {
                all += std::string(key) + "=" + std::string(value) + ";";
            }
            bus::bson_doc out;
            out.add_string("all", all);
            out.add_string("tenant", req.metadata("tenant").value_or("<none>"));
            out.add_string("traceparent", req.traceparent());
            return out;
        },
        run_on::io_thread);
}

class MetadataPaths : public ::testing::TestWithParam<bool> {};

TEST_P(MetadataPaths, PairsReachTheHandlerInOrder) {
    const bool batching = GetParam();
    running_broker broker;
    worker w(cancel_worker_options("meta", broker.endpoint(), batching));
    handle_meta(w);
    w.start();
    client c(cancel_client_options(broker.endpoint(), batching));
    ASSERT_TRUE(wait_for_service(c, "meta"));

    call_options options;
    options.metadata = {{"tenant", "acme"}, {"empty", ""}, {"tenant", "second"}};
    // Bursts of many at once, until one went in a batch frame (the client
    // batches once its broker has answered its question, on a busy machine
    // maybe only after the first burst): both paths are checked alike.
    auto burst = [&] {
        std::vector<std::future<call_result>> futures;
        for (int i = 0; i < 50; ++i) {
            futures.push_back(c.call_future("meta", "Meta", bus::bson_doc{}, options));
        }
        for (auto& f : futures) {
            if (f.wait_for(generous) != std::future_status::ready) {
                ADD_FAILURE() << "no outcome";
                return;
            }
            auto r = f.get();
            ASSERT_TRUE(r.ok()) << r.err().detail;
            EXPECT_EQ(r->result().get_string("all"), "tenant=acme;empty=;tenant=second;");
            EXPECT_EQ(r->result().get_string("tenant"), "acme");
        }
    };
    burst();
    if (batching) {
        EXPECT_TRUE(eventually([&] {
            burst();
            return broker.stats().batches_received > 0;
        }));
    } else {
        EXPECT_EQ(broker.stats().batches_received, 0u);
    }

    auto none = c.call("meta", "Meta", bus::bson_view{});
    ASSERT_TRUE(none.ok());
    EXPECT_EQ(none->result().get_string("all"), "");
    EXPECT_EQ(none->result().get_string("tenant"), "<none>");
}

INSTANTIATE_TEST_SUITE_P(PlainAndBatched, MetadataPaths, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "Batched" : "Plain"; });

TEST(Metadata, BadOptionsThrowWhenTheCallIsMade) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    call_options nul_key;
    nul_key.metadata = {{std::string("a\0b", 3), "v"}};
    EXPECT_THROW((void)c.call("x", "M", bus::bson_view{}, nul_key), std::invalid_argument);
    call_options bad_trace;
    bad_trace.traceparent = "not-a-trace";
    EXPECT_THROW((void)c.call("x", "M", bus::bson_view{}, bad_trace), std::invalid_argument);
}

TEST(Trace, StartedTraceReachesTheHandlerAndANestedCallKeepsIt) {
    running_broker broker;
    worker inner(fast_worker_options("inner", broker.endpoint()));
    handle_meta(inner);
    inner.start();
    client nested_client(fast_client_options(broker.endpoint()));
    auto outer_options = fast_worker_options("outer", broker.endpoint());
    worker outer(outer_options);
    outer.handle("Nest", [&](const request& req) {
        call_options options;
        options.parent = req.context();
        options.start_trace = true;  // the parent's trace wins over a new one
        auto r = nested_client.call("inner", "Meta", bus::bson_view{}, options);
        bus::bson_doc out;
        out.add_string("mine", req.traceparent());
        out.add_string("inner", r ? r->result().get_string("traceparent").value_or("") : "failed");
        return out;
    });
    outer.start();
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(c, "inner"));
    ASSERT_TRUE(wait_for_service(c, "outer"));

    call_options options;
    options.start_trace = true;
    auto r = c.call("outer", "Nest", bus::bson_view{}, options);
    ASSERT_TRUE(r.ok()) << r.err().detail;
    const auto mine = std::string(r->result().get_string("mine").value_or(""));
    EXPECT_TRUE(bus::is_valid_traceparent(mine)) << mine;
    EXPECT_EQ(mine.substr(mine.size() - 3), "-01");
    EXPECT_EQ(r->result().get_string("inner"), mine);

    // Each started trace is a new one; a set one travels as it was given.
    auto again = c.call("outer", "Nest", bus::bson_view{}, options);
    ASSERT_TRUE(again.ok());
    EXPECT_NE(again->result().get_string("mine"), mine);
    call_options set;
    set.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    auto given = c.call("inner", "Meta", bus::bson_view{}, set);
    ASSERT_TRUE(given.ok());
    EXPECT_EQ(given->result().get_string("traceparent"), set.traceparent);
    auto untraced = c.call("inner", "Meta", bus::bson_view{});
    ASSERT_TRUE(untraced.ok());
    EXPECT_EQ(untraced->result().get_string("traceparent"), "");
}

}  // namespace
}  // namespace skynet::testing

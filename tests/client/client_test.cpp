// The request API: shared between threads, failover between brokers, and
// exactly one outcome for every call even when the client goes away.
#include <gtest/gtest.h>

#include <array>
#include <functional>

#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<worker> start_square(std::vector<std::string> brokers) {
    auto options = fast_worker_options("square", brokers.front());
    options.brokers = std::move(brokers);
    options.concurrency = 2;
    auto w = std::make_unique<worker>(options);
    w->handle(
        "Square",
        [](const request& req) {
            auto n = req.params().get_int64("n").value_or(0);
            bus::bson_doc result;
            result.add_int64("value", n * n);
            return result;
        },
        run_on::io_thread);
    w->start();
    return w;
}

std::int64_t square(client& c, std::int64_t n, bool idempotent = false) {
    bus::bson_doc params;
    params.add_int64("n", n);
    call_options options;
    options.idempotent = idempotent;
    options.timeout = 30s;
    auto outcome = c.call("square", "Square", params.view(), options);
    return outcome ? outcome->result().get_int64("value").value_or(-1) : -1;
}

TEST(Client, OneClientIsSharedByManyThreads) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto w = start_square({broker.endpoint()});
    ASSERT_TRUE(wait_for_service(c, "square"));

    const auto replies_before = c.stats().replies;
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                std::int64_t n = t * 1000 + i;
                if (square(c, n) != n * n) {
                    ++wrong;
                }
            }
        });
    }
    for (auto& th : threads) {
        th.join();
    }
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(c.stats().replies - replies_before, 1600u);
}

TEST(Client, CallsMoveToTheNextBrokerWhenOneStops) {
    auto a = std::make_unique<running_broker>();
    running_broker b;
    auto w = start_square({a->endpoint(), b.endpoint()});
    client c(fast_client_options(a->endpoint()));
    client_options both = fast_client_options(a->endpoint());
    both.brokers.push_back(b.endpoint());
    client failover(both);
    ASSERT_TRUE(wait_for_service(c, "square"));
    ASSERT_EQ(square(failover, 3), 9);

    a.reset();  // broker A drains and is gone
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(square(failover, i, true), i * i) << i;
    }
}

TEST(Client, ASilentBrokerIsLeftForALiveOne) {
    // A "broker" that takes connections and never answers: the client's own
    // heartbeat must find it dead and move idempotent calls on.
    zmq::context_t context(1);
    zmq::socket_t black_hole(context, zmq::socket_type::router);
    black_hole.set(zmq::sockopt::linger, 0);
    black_hole.bind("tcp://127.0.0.1:*");
    auto silent = black_hole.get(zmq::sockopt::last_endpoint);

    running_broker live;
    auto w = start_square({live.endpoint()});
    client_options options = fast_client_options(silent);
    options.brokers.push_back(live.endpoint());
    client c(options);
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(square(c, i, true), i * i) << i;
    }
    EXPECT_TRUE(eventually([&] { return c.stats().brokers_lost >= 1; }));
}

TEST(Client, DestroyingTheClientEndsEveryCallOnce) {
    running_broker broker;
    auto c = std::make_unique<client>(fast_client_options(broker.endpoint()));
    worker w(fast_worker_options("hold", broker.endpoint()));
    gate release;
    w.handle("Hold", [&](const request& req) {
        release.wait(req.deadline());
        return bus::bson_doc{};
    });
    w.start();
    ASSERT_TRUE(wait_for_service(*c, "hold"));

    std::atomic<int> outcomes{0};
    std::atomic<int> unavailable{0};
    for (int i = 0; i < 5; ++i) {
        c->call_async("hold", "Hold", bus::bson_view{}, {}, [&](call_result r) {
            ++outcomes;
            if (r.code() == bus::errc::unavailable) {
                ++unavailable;
            }
        });
    }
    ASSERT_TRUE(eventually([&] { return release.waiting() == 1; }));
    c.reset();
    EXPECT_EQ(outcomes, 5);
    EXPECT_EQ(unavailable, 5);
    release.open();
}

// Calls made from callbacks start in batches once the callbacks return; a
// callback of any size, inline or on the heap, runs exactly once.
TEST(Client, CallsMadeFromCallbacksEachEndOnce) {
    running_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto w = start_square({broker.endpoint()});
    ASSERT_TRUE(wait_for_service(c, "square"));

    constexpr int chains = 50;
    constexpr int links = 20;
    std::atomic<int> right{0};
    std::atomic<int> ended{0};
    std::function<void(int, int)> next = [&](int chain, int left) {
        bus::bson_doc params;
        params.add_int64("n", left);
        std::array<char, 256> bulk{};  // too big to be kept inline
        bulk[0] = static_cast<char>(chain);
        auto on_reply = [&, chain, left, bulk](call_result r) {
            right += r && r->result().get_int64("value") == left * left && bulk[0] == chain;
            ++ended;
            if (left > 1) {
                next(chain, left - 1);
            }
        };
        if (left % 2 == 0) {
            c.call_async("square", "Square", params.view(), {}, std::move(on_reply));
        } else {  // a small callback, kept inline
            c.call_async("square", "Square", params.view(), {}, [&, chain, left](call_result r) {
                right += r && r->result().get_int64("value") == left * left;
                ++ended;
                if (left > 1) {
                    next(chain, left - 1);
                }
            });
        }
    };
    for (int chain = 0; chain < chains; ++chain) {
        next(chain, links);
    }
    ASSERT_TRUE(eventually([&] { return ended.load() == chains * links; }, 20s));
    EXPECT_EQ(right, chains * links);
}

TEST(Client, NoBrokerAtAllIsUnavailableNotSilence) {
    client_options options = fast_client_options(loopback_endpoint(free_port()));
    client c(options);
    call_options call;
    call.timeout = 60s;
    auto outcome = c.call("anything", "Any", bus::bson_view{}, call);
    EXPECT_EQ(outcome.code(), bus::errc::unavailable);
}

TEST(Client, BadOptionsAreRefused) {
    EXPECT_THROW(client(client_options{}), std::invalid_argument);
}

}  // namespace
}  // namespace skynet::testing

// A request run again after its worker left (docs/design.md, the outcome
// contract) goes out through the same dispatch as the first time: from the
// request the broker kept (a plain request's frames, or a record's batch
// frame, shared), with its retry count raised once per re-run and its time
// left rewritten in what leaves, never in bytes an earlier send shared.
// Raw workers written from docs/design.md, so that the test sees the frames.
#include <gtest/gtest.h>

#include "skynet/bus/batch.hpp"
#include "skynet/bus/envelope.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/plain_mdp.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;
namespace batch = bus::batch;

constexpr std::int64_t timeout_ms = 30000;

std::string idempotent_header(const std::string& request_id) {
    bus::rpc::request_header h;
    h.method = "Echo";
    h.request_id = request_id;
    h.origin = "test/1/raw";
    h.timeout_ms = timeout_ms;
    h.idempotent = true;
    return bus::rpc::encode_request_header(h).to_string();
}

std::string empty_params() {
    bus::bson_doc params;
    return std::string(reinterpret_cast<const char*>(params.view().data()), params.view().size());
}

// What a worker was sent for one request: its client address (the broker's
// token), its header, and whether it came as a record of a batch frame.
struct received {
    std::string token;
    std::string header;
    bool batched = false;
};

// A worker from the spec's frames: optionally asks for batches, READY, then
// reads REQUESTs until one comes.
class raw_worker {
public:
    raw_worker(running_broker& broker, bool batching)
        : socket_(broker.context(), zmq::socket_type::dealer) {
        socket_.set(zmq::sockopt::linger, 0);
        socket_.connect(broker.endpoint());
        if (batching) {
            send_strings(socket_,
                         {"", "MDPC01", "mmi.credit", "10", std::string(batch::credit_feature)});
            auto granted = receive_strings(socket_, 10s);
            EXPECT_TRUE(granted && granted->size() > 5 && (*granted)[5] == batch::credit_feature);
        }
        send_strings(socket_, {"", "MDPW01", "\x01", "rerun"});
    }

    std::optional<received> next_request() {
        const auto until = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < until) {
            auto m = receive_strings(socket_, 100ms);
            if (!m || m->size() < 6 || (*m)[2] != "\x02") {
                continue;  // heartbeats
            }
            if ((*m)[3] != batch::service) {
                return received{(*m)[3], (*m)[5], false};
            }
            batch::reader r((*m)[5]);
            batch::record rec;
            if (r.next(rec)) {
                return received{std::string(rec.route), std::string(rec.frames[0]), true};
            }
        }
        return std::nullopt;
    }

    void reply(const received& request) {
        auto h = bus::rpc::decode_request_header(request.header);
        ASSERT_TRUE(h.ok());
        send_strings(socket_,
                     {"", "MDPW01", "\x03", request.token, "",
                      bus::rpc::encode_reply_header({h->request_id, bus::errc::ok, {}}).to_string(),
                      empty_params()});
    }

    // 7/MDP: the worker leaves; what it holds is recovered at once.
    void leave() { send_strings(socket_, {"", "MDPW01", "\x05"}); }
    void heartbeat() { send_strings(socket_, {"", "MDPW01", "\x04"}); }
    // Gone without a word: the broker finds out at its expiry, or when a
    // send to it fails.
    void vanish() { socket_.close(); }

private:
    zmq::socket_t socket_;
};

std::int32_t retry_of(const received& r) {
    auto h = bus::rpc::decode_request_header(r.header);
    return h ? h->retry : -1;
}

std::int64_t timeout_of(const received& r) {
    auto h = bus::rpc::decode_request_header(r.header);
    return h && h->timeout_ms ? *h->timeout_ms : -1;
}

// Runs the request held by `first` twice more: on a worker of `kinds[0]`
// (batching or not), then on one of `kinds[1]`, which answers. Returns what
// the three workers were sent, in order.
std::vector<received> run_three_times(running_broker& broker, raw_worker& first,
                                      std::array<bool, 2> kinds) {
    std::vector<received> seen;
    auto got = first.next_request();
    EXPECT_TRUE(got.has_value());
    if (!got) {
        return seen;
    }
    seen.push_back(*got);
    raw_worker* holder = &first;
    std::vector<std::unique_ptr<raw_worker>> next;
    for (bool batching : kinds) {
        next.push_back(std::make_unique<raw_worker>(broker, batching));
        EXPECT_TRUE(eventually([&] { return broker.stats().workers == 2; }));
        holder->leave();
        got = next.back()->next_request();
        EXPECT_TRUE(got.has_value());
        if (!got) {
            return seen;
        }
        seen.push_back(*got);
        holder = next.back().get();
    }
    holder->reply(seen.back());
    return seen;
}

TEST(BrokerRedispatch, ABatchedRequestRunAgainCountsEachRunAndKeepsItsDeadline) {
    running_broker broker;
    raw_worker first(broker, true);
    ASSERT_TRUE(eventually([&] { return broker.stats().workers == 1; }));
    plain_client caller(broker.context(), broker.endpoint());
    batch::writer w;
    w.begin("rerun", 2);
    w.frame(idempotent_header("r0"));
    w.frame(empty_params());
    send_strings(caller.socket(),
                 {"", "MDPC01", std::string(batch::service), std::string(w.bytes())});

    // Batching worker, then a batching one, then a plain one.
    auto seen = run_three_times(broker, first, {true, false});
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_TRUE(seen[0].batched);
    EXPECT_TRUE(seen[1].batched);
    EXPECT_FALSE(seen[2].batched);  // a record made frames of its own
    for (int run = 0; run < 3; ++run) {
        EXPECT_EQ(retry_of(seen[run]), run) << "run " << run;
        EXPECT_GT(timeout_of(seen[run]), 0) << "run " << run;
        EXPECT_LE(timeout_of(seen[run]), timeout_ms) << "run " << run;
    }
    auto reply = receive_strings(caller.socket(), 10s);
    ASSERT_TRUE(reply.has_value());
    ASSERT_EQ(reply->size(), 5u);  // a plain reply: the last worker answered plain
    auto h = bus::rpc::decode_reply_header((*reply)[3]);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->request_id, "r0");
    EXPECT_EQ(h->code, bus::errc::ok);
    EXPECT_EQ(broker.stats().redispatched, 2u);
}

TEST(BrokerRedispatch, APlainRequestRunAgainCountsEachRunAndKeepsItsDeadline) {
    running_broker broker;
    raw_worker first(broker, false);
    ASSERT_TRUE(eventually([&] { return broker.stats().workers == 1; }));
    plain_client caller(broker.context(), broker.endpoint());
    send_strings(caller.socket(), {"", "MDPC01", "rerun", idempotent_header("p0"), empty_params()});

    // A plain request reaches a batching worker as plain frames too.
    auto seen = run_three_times(broker, first, {true, false});
    ASSERT_EQ(seen.size(), 3u);
    for (int run = 0; run < 3; ++run) {
        EXPECT_FALSE(seen[run].batched) << "run " << run;
        EXPECT_EQ(retry_of(seen[run]), run) << "run " << run;
        EXPECT_GT(timeout_of(seen[run]), 0) << "run " << run;
        EXPECT_LE(timeout_of(seen[run]), timeout_ms) << "run " << run;
    }
    auto reply = receive_strings(caller.socket(), 10s);
    ASSERT_TRUE(reply.has_value());
    ASSERT_EQ(reply->size(), 5u);
    auto h = bus::rpc::decode_reply_header((*reply)[3]);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->request_id, "p0");
    EXPECT_EQ(broker.stats().redispatched, 2u);
}

// Two workers expire in the same tick: the first holds an idempotent
// request, which is run again on the second, ready still, whose connection
// is gone, so that the send fails and drops it then and there. The roll
// call must not then drop it a second time.
TEST(BrokerRedispatch, WorkersExpiringTogetherAreDroppedOnceEach) {
    running_broker broker;
    raw_worker holder(broker, false);
    ASSERT_TRUE(eventually([&] { return broker.stats().workers == 1; }));
    client c(fast_client_options(broker.endpoint()));
    bus::bson_doc params;
    call_options options;
    options.timeout = 30s;
    options.idempotent = true;
    auto pending = c.call_future("rerun", "Echo", params.view(), options);
    ASSERT_TRUE(holder.next_request().has_value());

    raw_worker gone(broker, false);
    ASSERT_TRUE(eventually([&] { return broker.stats().workers == 2; }));
    holder.heartbeat();  // heard after `gone`: it cannot expire before it
    gone.vanish();

    // Both silent now. The request ends with an outcome, and the broker
    // still serves.
    ASSERT_EQ(pending.wait_for(20s), std::future_status::ready);
    EXPECT_FALSE(pending.get().ok());
    EXPECT_TRUE(eventually([&] { return broker.stats().workers == 0; }));
    auto w = start_adder(broker.endpoint());
    EXPECT_TRUE(adder_works(c));
}

}  // namespace
}  // namespace skynet::testing

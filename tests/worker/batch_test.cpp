// Our worker and batch frames (docs/design.md), against a broker written
// here with raw frames, so that the worker's side of the dialog can be
// steered: when the answer to its question comes, and what follows it.
#include "skynet/bus/batch.hpp"

#include <gtest/gtest.h>

#include <future>
#include <set>
#include <string>
#include <vector>

#include "skynet/bus/envelope.hpp"
#include "skynet/worker/worker.hpp"
#include "support/bus_helpers.hpp"
#include "support/echo_worker.hpp"
#include "support/eventually.hpp"
#include "support/plain_mdp.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;
namespace batch = bus::batch;

// A ROUTER that plays the broker for one worker connection.
class raw_broker {
public:
    raw_broker() : router_(context_, zmq::socket_type::router) {
        router_.set(zmq::sockopt::linger, 0);
        router_.bind("tcp://127.0.0.1:*");
        endpoint_ = router_.get(zmq::sockopt::last_endpoint);
    }

    const std::string& endpoint() const { return endpoint_; }
    // The worker socket last heard from.
    const std::string& identity() const { return identity_; }

    // The next message of `protocol` whose next frame (the service, or the
    // command) is `word`, skipping others (heartbeats); its frames, the
    // worker's identity first.
    std::optional<frame_list> next(const std::string& protocol, const std::string& word) {
        const auto until = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < until) {
            auto m = receive_strings(router_, 100ms);
            if (m && m->size() >= 4 && (*m)[2] == protocol && (*m)[3] == word) {
                identity_ = (*m)[0];
                return m;
            }
        }
        return std::nullopt;
    }

    void send(frame_list frames) {
        frames.insert(frames.begin(), identity_);
        send_strings(router_, frames);
    }

private:
    zmq::context_t context_{1};
    zmq::socket_t router_;
    std::string endpoint_;
    std::string identity_;
};

std::string request_header(const std::string& id, const std::string& method = "Echo") {
    bus::rpc::request_header h;
    h.method = method;
    h.request_id = id;
    h.origin = "test/1/raw";
    return bus::rpc::encode_request_header(h).to_string();
}

std::string params_of(const std::string& text) {
    bus::bson_doc params;
    params.add_string("text", text);
    return std::string(reinterpret_cast<const char*>(params.view().data()), params.view().size());
}

// The worker under test: credit 16, and heartbeats slow enough that the
// broker here, which sends none, is not taken for silent while the test's
// thread waits its turn on a busy machine (300 ms was seen to be too
// short). Its stop waits for no answer to mmi.pause: none comes from here.
worker_options options_for(const raw_broker& broker) {
    auto options = fast_worker_options("echo", broker.endpoint());
    options.credit = 16;
    options.heartbeat = scaled(1000ms);
    options.drain_timeout = scaled(200ms);
    return options;
}

// Three Echo requests in one batch, under tokens "tok-0".."tok-2"; the
// second's text is `middle` when given.
std::string three_requests(const std::string& middle = {}) {
    batch::writer w;
    for (const char* n : {"0", "1", "2"}) {
        w.begin(std::string("tok-") + n, 2);
        w.frame(request_header(std::string("id-") + n));
        const bool long_one = *n == '1' && !middle.empty();
        w.frame(params_of(long_one ? middle : std::string("text ") + n));
    }
    return std::string(w.bytes());
}

// Every reply the worker sends for those three, batched or not: the tokens
// they came back under, and whether any came in a batch.
struct answers {
    std::set<std::string> tokens;
    bool batched = false;
    std::set<std::string> in_batch;  // the tokens that came back in a batch
};

answers read_answers(raw_broker& broker) {
    answers got;
    while (got.tokens.size() < 3) {
        auto reply = broker.next("MDPW01", "\x03");
        if (!reply) {
            break;
        }
        // identity "" MDPW01 0x03 address "" body...
        if ((*reply)[4] == batch::service && reply->size() == 7) {
            got.batched = true;
            batch::reader r((*reply)[6]);
            batch::record rec;
            while (r.next(rec)) {
                auto h = bus::rpc::decode_reply_header(rec.frames[0]);
                EXPECT_TRUE(h.ok() && h->code == bus::errc::ok);
                got.tokens.insert(std::string(rec.route));
                got.in_batch.insert(std::string(rec.route));
            }
        } else if (reply->size() == 8) {
            got.tokens.insert((*reply)[4]);
        }
    }
    return got;
}

// Answers the worker's credit question with batches of at most 64 KiB.
void grant_batches(raw_broker& broker) {
    ASSERT_TRUE(broker.next("MDPC01", "mmi.credit").has_value());
    broker.send(
        {"", "MDPC01", "mmi.credit", "200", "16", std::string(batch::credit_feature), "65536"});
    ASSERT_TRUE(broker.next("MDPW01", "\x01").has_value());  // READY
}

TEST(WorkerBatches, AnsweredInABatchOnceTheBrokerSaysHowLarge) {
    raw_broker broker;
    auto w = start_echo_worker(options_for(broker));
    auto question = broker.next("MDPC01", "mmi.credit");  // "" MDPC01 mmi.credit "16 batch"
    ASSERT_TRUE(question.has_value());
    ASSERT_EQ(question->size(), 5u);
    EXPECT_EQ((*question)[3], "mmi.credit");
    EXPECT_EQ((*question)[4], "16 " + std::string(batch::credit_feature));
    broker.send(
        {"", "MDPC01", "mmi.credit", "200", "16", std::string(batch::credit_feature), "65536"});
    ASSERT_TRUE(broker.next("MDPW01", "\x01").has_value());  // READY

    broker.send({"", "MDPW01", "\x02", std::string(batch::service), "", three_requests()});
    auto got = read_answers(broker);
    EXPECT_EQ(got.tokens, (std::set<std::string>{"tok-0", "tok-1", "tok-2"}));
    EXPECT_TRUE(got.batched);
}

// The worker gave up waiting for the answer and sent READY; the broker
// granted the batches anyway (the grant holds for that READY), and they come.
TEST(WorkerBatches, ABatchAfterALateAnswerIsServed) {
    raw_broker broker;
    auto w = start_echo_worker(options_for(broker));
    ASSERT_TRUE(broker.next("MDPC01", "mmi.credit").has_value());  // the question, left unanswered
    ASSERT_TRUE(broker.next("MDPW01", "\x01").has_value());        // READY, after a heartbeat
    broker.send({"", "MDPW01", "\x02", std::string(batch::service), "", three_requests()});
    auto got = read_answers(broker);
    EXPECT_EQ(got.tokens, (std::set<std::string>{"tok-0", "tok-1", "tok-2"}));
    // It never heard how large a batch may be: one REPLY each, which any
    // broker reads.
    EXPECT_FALSE(got.batched);
}

TEST(WorkerBatches, AWorkerThatDoesNotBatchDoesNotAsk) {
    raw_broker broker;
    auto options = fast_worker_options("echo", broker.endpoint());
    options.credit = 16;
    options.batching = false;
    auto w = start_echo_worker(options, run_on::pool);
    auto question = broker.next("MDPC01", "mmi.credit");
    ASSERT_TRUE(question.has_value());
    EXPECT_EQ(*question, (frame_list{(*question)[0], "", "MDPC01", "mmi.credit", "16"}));
}

// A reply of record_limit bytes or more leaves as a REPLY of its own (copying
// it into the batch would cost more than the frames it saves); the others
// of its batch still share one frame.
TEST(WorkerBatches, AReplyTooLargeForABatchLeavesAlone) {
    raw_broker broker;
    auto w = start_echo_worker(options_for(broker));
    grant_batches(broker);
    broker.send({"", "MDPW01", "\x02", std::string(batch::service), "",
                 three_requests(std::string(batch::record_limit, 'x'))});
    auto got = read_answers(broker);
    EXPECT_EQ(got.tokens, (std::set<std::string>{"tok-0", "tok-1", "tok-2"}));
    EXPECT_EQ(got.in_batch, (std::set<std::string>{"tok-0", "tok-2"}));
}

// A batch frame that is not whole is dropped and counted, none of its
// records served; the connection goes on, and the next batch is answered.
TEST(WorkerBatches, ABrokenBatchIsCountedAndTheNextServed) {
    raw_broker broker;
    auto w = start_echo_worker(options_for(broker));
    grant_batches(broker);
    auto broken = three_requests();
    broken.resize(broken.size() - 3);  // the last record cut short
    broker.send({"", "MDPW01", "\x02", std::string(batch::service), "", broken});
    EXPECT_TRUE(eventually([&] { return w->stats().malformed == 1; }));
    broker.send({"", "MDPW01", "\x02", std::string(batch::service), "", three_requests()});
    auto got = read_answers(broker);
    EXPECT_EQ(got.tokens, (std::set<std::string>{"tok-0", "tok-1", "tok-2"}));
    EXPECT_TRUE(got.batched);
    EXPECT_EQ(w->stats().requests, 3u);
}

// Records that are not our envelope go to the raw handler like plain
// requests do, and its replies come back in a batch under their tokens.
TEST(WorkerBatches, RawRecordsReachTheRawHandler) {
    raw_broker broker;
    worker w(options_for(broker));
    w.handle_raw(
        [](std::span<const zmq::message_t> body) {
            bus::frames reply;
            for (const auto& f : body) {
                reply.push_back(bus::frame_of(bus::view_of(f)));
            }
            return reply;
        },
        run_on::io_thread);  // both answered in one turn: one batch frame
    w.start();
    grant_batches(broker);
    batch::writer requests;
    requests.begin("tok-a", 1);
    requests.frame(std::string_view("plain a"));
    requests.begin("tok-b", 2);
    requests.frame(std::string_view("plain"));
    requests.frame(std::string_view("b"));
    broker.send(
        {"", "MDPW01", "\x02", std::string(batch::service), "", std::string(requests.bytes())});
    auto reply = broker.next("MDPW01", "\x03");
    ASSERT_TRUE(reply.has_value());
    ASSERT_EQ(reply->size(), 7u);  // identity "" MDPW01 0x03 mmi.batch "" batch
    EXPECT_EQ((*reply)[4], batch::service);
    std::vector<std::string> got;
    batch::reader r((*reply)[6]);
    batch::record rec;
    while (r.next(rec)) {
        std::string text(rec.route);
        for (auto f : rec.body()) {
            text += ':';
            text += f;
        }
        got.push_back(text);
    }
    EXPECT_EQ(got, (std::vector<std::string>{"tok-a:plain a", "tok-b:plain:b"}));
    w.stop();
    w.wait();
}

// A reply made for a socket the worker has since lost is dropped: that
// broker has answered its client already. The new socket goes on serving.
TEST(WorkerBatches, AReplyForALostSocketIsDropped) {
    raw_broker broker;
    auto options = fast_worker_options("echo", broker.endpoint());
    options.credit = 16;
    std::promise<void> release;
    auto released = release.get_future().share();
    worker w(options);
    w.handle("Hold", [released](const request&) {
        released.wait();
        return bus::bson_doc{};
    });
    handle_echo(w);
    w.start();
    grant_batches(broker);
    const auto first = broker.identity();
    batch::writer hold;
    hold.begin("tok-h", 2);
    hold.frame(request_header("id-h", "Hold"));
    hold.frame(params_of("held"));
    broker.send({"", "MDPW01", "\x02", std::string(batch::service), "", std::string(hold.bytes())});
    ASSERT_TRUE(eventually([&] { return w.stats().in_flight == 1; }));
    broker.send({"", "MDPW01", "\x05"});  // DISCONNECT: a new socket follows
    grant_batches(broker);
    EXPECT_NE(broker.identity(), first);
    release.set_value();
    ASSERT_TRUE(eventually([&] { return w.stats().in_flight == 0; }));
    EXPECT_EQ(w.stats().replies, 0u);
    broker.send({"", "MDPW01", "\x02", std::string(batch::service), "", three_requests()});
    auto got = read_answers(broker);
    EXPECT_EQ(got.tokens, (std::set<std::string>{"tok-0", "tok-1", "tok-2"}));
    EXPECT_EQ(w.stats().replies, 3u);
    w.stop();
    w.wait();
}

}  // namespace
}  // namespace skynet::testing

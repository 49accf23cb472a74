// Our worker and batch frames (docs/design.md), against a broker written
// here with raw frames, so that the worker's side of the dialog can be
// steered: when the answer to its question comes, and what follows it.
#include "skynet/bus/batch.hpp"

#include <gtest/gtest.h>

#include <set>

#include "skynet/bus/envelope.hpp"
#include "skynet/worker/worker.hpp"
#include "support/bus_helpers.hpp"
#include "support/echo_worker.hpp"
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

std::string request_header(const std::string& id) {
    bus::rpc::request_header h;
    h.method = "Echo";
    h.request_id = id;
    h.origin = "test/1/raw";
    return bus::rpc::encode_request_header(h).to_string();
}

std::string params_of(const std::string& text) {
    bus::bson_doc params;
    params.add_string("text", text);
    return std::string(reinterpret_cast<const char*>(params.view().data()), params.view().size());
}

// Three Echo requests in one batch, under tokens "tok-0".."tok-2".
std::string three_requests() {
    batch::writer w;
    for (const char* n : {"0", "1", "2"}) {
        w.begin(std::string("tok-") + n, 2);
        w.frame(request_header(std::string("id-") + n));
        w.frame(params_of(std::string("text ") + n));
    }
    return std::string(w.bytes());
}

// Every reply the worker sends for those three, batched or not: the tokens
// they came back under, and whether any came in a batch.
struct answers {
    std::set<std::string> tokens;
    bool batched = false;
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
            }
        } else if (reply->size() == 8) {
            got.tokens.insert((*reply)[4]);
        }
    }
    return got;
}

TEST(WorkerBatches, AnsweredInABatchOnceTheBrokerSaysHowLarge) {
    raw_broker broker;
    auto w = start_echo_worker(broker.endpoint(), "echo", 16);
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
    auto w = start_echo_worker(broker.endpoint(), "echo", 16);
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

}  // namespace
}  // namespace skynet::testing

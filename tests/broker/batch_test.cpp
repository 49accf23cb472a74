// Batch frames at the broker (docs/design.md), from raw frames as a peer in
// any language would send them: the client's question and mmi.batch
// requests, the worker's credit with "batch" and REQUEST/REPLY under the
// address "mmi.batch", records turned into frames for plain workers, and
// bad batches counted and dropped.
#include "skynet/bus/batch.hpp"

#include <gtest/gtest.h>

#include <map>

#include "skynet/bus/envelope.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/echo_worker.hpp"
#include "support/eventually.hpp"
#include "support/plain_mdp.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;
namespace batch = bus::batch;

std::string header_for(const std::string& request_id, std::optional<std::int64_t> timeout_ms = {}) {
    bus::rpc::request_header h;
    h.method = "Echo";
    h.request_id = request_id;
    h.origin = "test/1/raw";
    h.timeout_ms = timeout_ms;
    return bus::rpc::encode_request_header(h).to_string();
}

// "r" + std::to_string(i) trips GCC 12's -Wrestrict (a false positive).
std::string numbered(std::string prefix, int i) {
    return prefix.append(std::to_string(i));
}

std::string params_with(const std::string& text) {
    bus::bson_doc params;
    params.add_string("text", text);
    return std::string(reinterpret_cast<const char*>(params.view().data()), params.view().size());
}

// A batch of `count` Echo requests for `service`, request ids "r0", "r1"...
std::string echo_batch(const std::string& service, int count) {
    batch::writer w;
    for (int i = 0; i < count; ++i) {
        w.begin(service, 2);
        w.frame(header_for(numbered("r", i), 10000));
        w.frame(params_with(numbered("hello ", i)));
    }
    return std::string(w.bytes());
}

// Replies by request_id, from batch frames and plain replies alike, until
// `count` have come or the deadline.
struct collected {
    std::map<std::string, std::string> results;  // request_id -> result's text
    int batch_frames = 0;
    int plain_replies = 0;
};

collected collect_replies(zmq::socket_t& socket, const std::string& service, std::size_t count) {
    collected got;
    auto add = [&](std::string_view header, std::string_view result) {
        auto h = bus::rpc::decode_reply_header(header);
        auto doc = bus::bson_view::from_bytes(result.data(), result.size());
        if (h && doc) {
            auto text = doc->get_string("text");
            got.results[std::string(h->request_id)] =
                h->code == bus::errc::ok ? std::string(text.value_or("?")) : "error";
        }
    };
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (got.results.size() < count && std::chrono::steady_clock::now() < until) {
        auto reply = receive_strings(socket, 100ms);
        if (!reply || reply->size() < 4 || (*reply)[1] != "MDPC01") {
            continue;
        }
        if ((*reply)[2] == batch::service) {
            ++got.batch_frames;
            batch::reader r((*reply)[3]);
            batch::record rec;
            while (r.next(rec)) {
                EXPECT_EQ(rec.route, service);
                add(rec.frames[0], rec.frames[1]);
            }
        } else if (reply->size() == 5) {  // an error's service is the one asked for
            ++got.plain_replies;
            add((*reply)[3], (*reply)[4]);
        }
    }
    return got;
}

TEST(BrokerBatches, TheQuestionIsAnsweredWithAnEmptyBatchAndTheLimit) {
    auto options = fast_broker_options();
    options.max_message_size = 8192;
    running_broker broker(options);
    plain_client raw(broker.context(), broker.endpoint());
    auto answer = raw.request(std::string(batch::service), {""}, 10s);
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(*answer, (frame_list{"", "8192"}));  // the limit: at most the largest message
}

TEST(BrokerBatches, ABrokerWithoutBatchesAnswers501) {
    auto options = fast_broker_options();
    options.batching = false;
    running_broker broker(options);
    plain_client raw(broker.context(), broker.endpoint());
    EXPECT_EQ(raw.request(std::string(batch::service), {""}, 10s), frame_list{"501"});
}

TEST(BrokerBatches, ABatchOfRequestsIsAnsweredInBatches) {
    running_broker broker;
    client ours(fast_client_options(broker.endpoint()));
    auto echo = start_echo_worker(broker.endpoint(), "echo", 64);
    ASSERT_TRUE(wait_for_service(ours, "echo"));
    const auto before = broker.stats();

    plain_client raw(broker.context(), broker.endpoint());
    send_strings(raw.socket(), {"", "MDPC01", std::string(batch::service), echo_batch("echo", 50)});
    auto got = collect_replies(raw.socket(), "echo", 50);
    ASSERT_EQ(got.results.size(), 50u);
    for (int i = 0; i < 50; ++i) {
        EXPECT_EQ(got.results[numbered("r", i)], numbered("hello ", i));
    }
    EXPECT_EQ(got.plain_replies, 0);
    EXPECT_GE(got.batch_frames, 1);
    // Our worker took them in batches too, and answered in batches.
    const auto after = broker.stats();
    EXPECT_EQ(after.requests - before.requests, 50u);
    EXPECT_GE(after.batches_received - before.batches_received, 2u);  // client's, worker's
    EXPECT_GE(after.batches_sent - before.batches_sent, 2u);          // to worker, to client
}

TEST(BrokerBatches, RecordsReachAPlainWorkerAsFramesOfTheirOwn) {
    running_broker broker;
    plain_worker plain(broker.context(), broker.endpoint(), "legacy");
    client ours(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(ours, "legacy"));

    plain_client raw(broker.context(), broker.endpoint());
    batch::writer w;
    for (const char* body : {"one", "two", "three"}) {
        w.begin("legacy", 2);
        w.frame(std::string_view(body));
        w.frame(std::string_view("tail"));
    }
    send_strings(raw.socket(), {"", "MDPC01", std::string(batch::service), std::string(w.bytes())});
    // The plain worker answers one at a time, plain replies come back plain.
    std::multiset<std::string> firsts;
    for (int i = 0; i < 3; ++i) {
        auto reply = receive_strings(raw.socket(), 10s);
        ASSERT_TRUE(reply.has_value());
        ASSERT_EQ(reply->size(), 5u);
        EXPECT_EQ((*reply)[2], "legacy");
        EXPECT_EQ((*reply)[4], "tail");
        firsts.insert((*reply)[3]);
    }
    EXPECT_EQ(firsts, (std::multiset<std::string>{"plain:one", "plain:three", "plain:two"}));
    EXPECT_EQ(plain.requests(), 3);
}

TEST(BrokerBatches, ABatchThatIsNotWholeIsCountedAndDropped) {
    running_broker broker;
    client ours(fast_client_options(broker.endpoint()));
    auto adder = start_adder(broker.endpoint());
    ASSERT_TRUE(wait_for_service(ours, "adder"));
    plain_client raw(broker.context(), broker.endpoint());

    auto cut = echo_batch("adder", 3);
    cut.resize(cut.size() - 7);  // the last record runs past the end
    const auto malformed = broker.stats().malformed;
    send_strings(raw.socket(), {"", "MDPC01", std::string(batch::service), cut});
    send_strings(raw.socket(), {"", "MDPC01", std::string(batch::service), "x", "y"});
    EXPECT_TRUE(eventually([&] { return broker.stats().malformed >= malformed + 2; }));
    // Nothing of either was answered: the first answer on this connection is
    // the one to the question asked after them. And the broker serves on.
    send_strings(raw.socket(), {"", "MDPC01", std::string(batch::service), ""});
    auto first = receive_strings(raw.socket(), 10s);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->size(), 5u);
    EXPECT_EQ((*first)[3], "");  // the empty batch: no records
    EXPECT_TRUE(adder_works(ours));
}

TEST(BrokerBatches, RecordsGetTheCodedErrorsRequestsGet) {
    auto options = fast_broker_options();
    options.max_message_size = 1000;
    running_broker broker(options);
    client ours(fast_client_options(broker.endpoint()));
    auto echo = start_echo_worker(broker.endpoint(), "echo", 64);
    ASSERT_TRUE(wait_for_service(ours, "echo"));

    batch::writer w;
    w.begin("mmi.service", 2);  // internal services are asked one at a time
    w.frame(header_for("internal"));
    w.frame(params_with("x"));
    w.begin("echo", 2);  // over the broker's largest message
    w.frame(header_for("large"));
    w.frame(params_with(std::string(2000, 'x')));
    w.begin("echo", 2);  // and one that is fine
    w.frame(header_for("fine"));
    w.frame(params_with("fine"));
    plain_client raw(broker.context(), broker.endpoint());
    send_strings(raw.socket(), {"", "MDPC01", std::string(batch::service), std::string(w.bytes())});

    auto got = collect_replies(raw.socket(), "echo", 3);
    EXPECT_EQ(got.results["internal"], "error");
    EXPECT_EQ(got.results["large"], "error");
    EXPECT_EQ(got.results["fine"], "fine");
    EXPECT_GE(broker.stats().too_large, 1u);
}

// A batching worker written from docs/design.md with raw frames: credit
// with "batch", READY, then REQUESTs under the address "mmi.batch" whose
// records it answers in one REPLY of the same shape.
TEST(BrokerBatches, ARawBatchingWorkerGetsRecordsAndAnswersInOne) {
    running_broker broker;
    zmq::socket_t w(broker.context(), zmq::socket_type::dealer);
    w.set(zmq::sockopt::linger, 0);
    w.connect(broker.endpoint());
    send_strings(w, {"", "MDPC01", "mmi.credit", "100", std::string(batch::credit_feature)});
    auto granted = receive_strings(w, 10s);
    ASSERT_TRUE(granted.has_value());
    ASSERT_EQ(granted->size(), 11u);  // and the heartbeat terms after the batch limit
    EXPECT_EQ((*granted)[3], "200");
    EXPECT_EQ((*granted)[4], "100");
    EXPECT_EQ((*granted)[5], batch::credit_feature);
    EXPECT_EQ((*granted)[7], "heartbeat");
    send_strings(w, {"", "MDPW01", "\x01", "rawecho"});

    client ours(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(wait_for_service(ours, "rawecho"));
    plain_client caller(broker.context(), broker.endpoint());
    send_strings(caller.socket(),
                 {"", "MDPC01", std::string(batch::service), echo_batch("rawecho", 5)});

    std::size_t answered = 0;
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (answered < 5 && std::chrono::steady_clock::now() < until) {
        auto m = receive_strings(w, 100ms);
        if (!m || m->size() != 6 || (*m)[2] != "\x02") {
            continue;  // heartbeats
        }
        ASSERT_EQ((*m)[3], batch::service);
        ASSERT_TRUE(batch::check((*m)[5]).ok());
        batch::writer replies;
        batch::reader r((*m)[5]);
        batch::record rec;
        while (r.next(rec)) {
            EXPECT_EQ(rec.route.size(), 8u);  // the broker's token, returned untouched
            auto h = bus::rpc::decode_request_header(rec.frames[0]);
            ASSERT_TRUE(h.ok());
            replies.begin(rec.route, 2);
            replies.frame(bus::rpc::encode_reply_header({h->request_id, bus::errc::ok, {}}));
            replies.frame(rec.frames[1]);  // echo the params
            ++answered;
        }
        send_strings(w, {"", "MDPW01", "\x03", std::string(batch::service), "",
                         std::string(replies.bytes())});
    }
    EXPECT_EQ(answered, 5u);
    auto got = collect_replies(caller.socket(), "rawecho", 5);
    ASSERT_EQ(got.results.size(), 5u);
    EXPECT_EQ(got.results["r4"], "hello 4");
    EXPECT_EQ(got.plain_replies, 0);
}

}  // namespace
}  // namespace skynet::testing

// The broker's side of mmi.cancel, seen from the wire: an id it does not
// hold is answered 404 and changes nothing; a plain 7/MDP worker holding a
// cancelled request gets nothing but what 7/MDP allows (heartbeats, its next
// request), and its late reply is dropped, its credit given back.
#include <gtest/gtest.h>

#include "cancel_fixture.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/mmi.hpp"
#include "support/plain_mdp.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

TEST(BrokerCancel, UnknownIdIsHarmless) {
    running_broker broker;
    auto adder = start_adder(broker.endpoint());
    zmq::context_t context(1);
    plain_client plain(context, broker.endpoint());
    auto answer = plain.request(std::string(bus::mmi::cancel), {"no-such-request"}, generous);
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(answer->front(), "404");
    auto empty = plain.request(std::string(bus::mmi::cancel), {""}, generous);
    ASSERT_TRUE(empty.has_value());
    EXPECT_EQ(empty->front(), "404");
    EXPECT_EQ(broker.stats().cancelled, 0u);
    client c(fast_client_options(broker.endpoint()));
    EXPECT_TRUE(adder_works(c));
}

// A 7/MDP worker driven by the test's thread: it heartbeats while it waits,
// and keeps every message that is not a heartbeat.
class hand_worker {
public:
    hand_worker(zmq::context_t& context, const std::string& broker) : socket_(context, ZMQ_DEALER) {
        socket_.set(zmq::sockopt::linger, 0);
        socket_.connect(broker);
        send_strings(socket_, {"", "MDPW01", "\x01", "plainsvc"});
    }
    ~hand_worker() { send_strings(socket_, {"", "MDPW01", "\x05"}); }

    // Serves the socket until `done()` or the generous deadline.
    template <class Done>
    bool pump_until(Done&& done) {
        const auto until = std::chrono::steady_clock::now() + generous;
        while (!done()) {
            if (std::chrono::steady_clock::now() >= until) {
                return false;
            }
            if (auto m = receive_strings(socket_, 10ms);
                m && !(m->size() == 3 && (*m)[2] == "\x04")) {
                received.push_back(std::move(*m));
            }
            send_strings(socket_, {"", "MDPW01", "\x04"});
        }
        return true;
    }
    void reply(const frame_list& request) {
        // REQUEST: "" MDPW01 0x02 client "" header params; the reply in our
        // envelope, as a raw handler of any language could write it.
        auto header = bus::rpc::decode_request_header(request[5]);
        ASSERT_TRUE(header.ok());
        auto reply_header = bus::rpc::encode_reply_header({header->request_id, bus::errc::ok, {}});
        send_strings(socket_,
                     {"", "MDPW01", "\x03", request[3], "", std::string(bus::view_of(reply_header)),
                      std::string("\x05\0\0\0\0", 5)});
    }

    std::vector<frame_list> received;

private:
    zmq::socket_t socket_;
};

TEST(BrokerCancel, PlainWorkerHoldingACancelledRequestGetsNothingUnexpected) {
    running_broker broker;
    zmq::context_t context(1);
    hand_worker hw(context, broker.endpoint());
    client c(fast_client_options(broker.endpoint()));
    ASSERT_TRUE(hw.pump_until([&] { return broker.stats().workers == 1; }));

    outcome_box box;
    call_options options;
    options.timeout = generous;
    auto handle = c.call_async("plainsvc", "M", bus::bson_view{}, options, box.callback());
    ASSERT_TRUE(hw.pump_until([&] { return hw.received.size() == 1; }));
    const auto held = hw.received.front();
    ASSERT_EQ(held.size(), 7u);
    ASSERT_EQ(held[2], "\x02");

    handle.cancel();
    ASSERT_TRUE(hw.pump_until([&] { return broker.stats().cancelled == 1; }));
    auto outcome = box.wait();
    ASSERT_TRUE(outcome.has_value());
    EXPECT_EQ(outcome->code(), bus::errc::cancelled);

    hw.reply(held);  // late: dropped by the broker, which gives the credit back
    ASSERT_TRUE(hw.pump_until([&] { return broker.stats().cancelled_replies == 1; }));
    auto next = c.call_future("plainsvc", "M", bus::bson_doc{}, options);
    ASSERT_TRUE(hw.pump_until([&] { return hw.received.size() == 2; }));
    // Between the two requests, nothing but heartbeats reached the worker.
    EXPECT_EQ(hw.received[1][2], "\x02");
    EXPECT_NE(hw.received[1][3], held[3]);
    hw.reply(hw.received[1]);
    ASSERT_EQ(next.wait_for(generous), std::future_status::ready);
    EXPECT_TRUE(next.get().ok());
    EXPECT_EQ(broker.stats().malformed, 0u);
    EXPECT_EQ(box.calls.load(), 1);
}

}  // namespace
}  // namespace skynet::testing

// The ZAP handler with real CURVE sockets in one process: which clients a
// CURVE server lets in, and the User-Id its messages then carry.
#include "skynet/security/zap_handler.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "skynet/runtime/sockets.hpp"
#include "skynet/security/keys.hpp"
#include "skynet/security/zap_request.hpp"
#include "support/eventually.hpp"

namespace skynet::security {
namespace {

using skynet::testing::eventually;

runtime::socket_options server_options(const key_pair& keys) {
    runtime::socket_options o;
    o.curve_server = true;
    o.curve_public_key = keys.public_key;
    o.curve_secret_key = keys.secret_key;
    return o;
}

runtime::socket_options client_options(const key_pair& own, const std::string& server_key) {
    runtime::socket_options o;
    o.curve_public_key = own.public_key;
    o.curve_secret_key = own.secret_key;
    o.curve_server_key = server_key;
    return o;
}

// The next message's one frame and its User-Id, if one comes within `limit`.
struct received {
    std::string body;
    std::string user_id;
};
std::optional<received> receive(zmq::socket_t& router, std::chrono::milliseconds limit) {
    zmq_pollitem_t item{router.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, limit) <= 0) {
        return std::nullopt;
    }
    zmq::message_t identity;
    zmq::message_t body;
    (void)router.recv(identity);
    (void)router.recv(body);
    const char* user = zmq_msg_gets(body.handle(), "User-Id");
    return received{body.to_string(), user != nullptr ? user : ""};
}

class ZapHandlerTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto allowed = std::make_shared<allowed_keys>();
        (*allowed)[alice_.public_key] = "alice";
        zap_ = std::make_unique<zap_handler>(context_, std::move(allowed));
        router_ = runtime::bind_router(context_, "tcp://127.0.0.1:*", server_options(server_));
        endpoint_ = router_.get(zmq::sockopt::last_endpoint);
    }
    void TearDown() override {
        router_.close();
        zap_.reset();
    }
    zmq::socket_t dial(const key_pair& own, const std::string& server_key) {
        auto dealer = runtime::connect_dealer(context_, endpoint_, client_options(own, server_key));
        dealer.send(zmq::str_buffer("hello"), zmq::send_flags::dontwait);
        return dealer;
    }

    zmq::context_t context_{1};
    key_pair server_ = generate_key_pair();
    key_pair alice_ = generate_key_pair();
    std::unique_ptr<zap_handler> zap_;
    zmq::socket_t router_;
    std::string endpoint_;
};

TEST_F(ZapHandlerTest, AllowedKeyGetsInWithItsName) {
    auto alice = dial(alice_, server_.public_key);
    auto got = receive(router_, skynet::testing::generous);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->body, "hello");
    EXPECT_EQ(got->user_id, "alice");
    EXPECT_EQ(zap_->accepted(), 1u);
    EXPECT_EQ(zap_->refused(), 0u);
}

TEST_F(ZapHandlerTest, UnknownKeyIsRefusedAndOthersStillServed) {
    auto stranger = dial(generate_key_pair(), server_.public_key);
    ASSERT_TRUE(eventually([&] { return zap_->refused() >= 1; }));
    auto alice = dial(alice_, server_.public_key);
    auto got = receive(router_, skynet::testing::generous);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->user_id, "alice");  // the stranger's hello never came
    EXPECT_FALSE(receive(router_, std::chrono::milliseconds(100)).has_value());
}

TEST_F(ZapHandlerTest, NewAllowListTakesEffectForNewHandshakes) {
    const auto bob = generate_key_pair();
    auto first = dial(bob, server_.public_key);
    ASSERT_TRUE(eventually([&] { return zap_->refused() >= 1; }));
    auto allowed = std::make_shared<allowed_keys>();
    (*allowed)[bob.public_key] = "bob";
    zap_->set_allowed_keys(std::move(allowed));
    EXPECT_EQ(zap_->allowed()->count(bob.public_key), 1u);
    auto second = dial(bob, server_.public_key);
    auto got = receive(router_, skynet::testing::generous);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->user_id, "bob");
}

TEST_F(ZapHandlerTest, SecondHandlerOnOneContextThrows) {
    EXPECT_THROW(zap_handler(context_, std::make_shared<allowed_keys>()), zmq::error_t);
}

// Without a handler, Debian's libzmq would let any key in; with the
// domain enforced (what the socket factory sets), nothing gets in.
TEST(ZapEnforcedTest, NoHandlerLetsNoKeyIn) {
    zmq::context_t context(1);
    const auto server = generate_key_pair();
    auto router = runtime::bind_router(context, "tcp://127.0.0.1:*", server_options(server));
    zmq_socket_monitor(router.handle(), "inproc://zap-enforced-monitor",
                       ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                           ZMQ_EVENT_HANDSHAKE_FAILED_AUTH);
    zmq::socket_t monitor(context, zmq::socket_type::pair);
    monitor.connect("inproc://zap-enforced-monitor");
    auto client = runtime::connect_dealer(context, router.get(zmq::sockopt::last_endpoint),
                                          client_options(generate_key_pair(), server.public_key));
    client.send(zmq::str_buffer("hello"), zmq::send_flags::dontwait);
    zmq::message_t event;
    monitor.set(zmq::sockopt::rcvtimeo, static_cast<int>(skynet::testing::generous.count()));
    ASSERT_TRUE(monitor.recv(event).has_value()) << "the handshake did not fail";
    EXPECT_FALSE(receive(router, std::chrono::milliseconds(100)).has_value());
    zmq_socket_monitor(router.handle(), nullptr, 0);
}

TEST(ZapRequestTest, MalformedRequestsAreErrors) {
    auto frames_of = [](std::initializer_list<std::string_view> parts) {
        bus::frames f;
        for (auto p : parts) {
            f.push_back(bus::frame_of(p));
        }
        return f;
    };
    const std::string key(32, 'k');
    auto good = frames_of({"", "1.0", "1", "skynet", "127.0.0.1", "", "CURVE", key});
    auto decoded = decode_zap_request(good);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->client_key, key);
    EXPECT_EQ(decoded->address, "127.0.0.1");
    EXPECT_FALSE(decode_zap_request(frames_of({"", "1.0", "1"})).ok());
    EXPECT_FALSE(decode_zap_request(frames_of({"", "2.0", "1", "d", "a", "", "CURVE", key})).ok());
    EXPECT_FALSE(decode_zap_request(frames_of({"x", "1.0", "1", "d", "a", "", "CURVE", key})).ok());
    EXPECT_FALSE(
        decode_zap_request(frames_of({"", "1.0", "1", "d", "a", "", "CURVE", "short"})).ok());
    EXPECT_FALSE(decode_zap_request(frames_of({"", "1.0", "1", "d", "a", "", "CURVE"})).ok());
    EXPECT_TRUE(decode_zap_request(frames_of({"", "1.0", "1", "d", "a", "", "NULL"})).ok());
}

}  // namespace
}  // namespace skynet::security

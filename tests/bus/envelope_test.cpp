// The RPC envelope: headers round-trip, broken or foreign BSON is refused,
// and the broker's in-place rewrites keep the document valid.
#include "skynet/bus/envelope.hpp"

#include <gtest/gtest.h>

#include "envelope_samples.hpp"
#include "skynet/bus/bson.hpp"

namespace rpc = skynet::bus::rpc;
using skynet::bus::bson_doc;
using skynet::bus::errc;
using skynet::testing::sample_header;

namespace {

TEST(Envelope, RequestHeaderRoundTrips) {
    auto frame = rpc::encode_request_header(sample_header());
    auto decoded = rpc::decode_request_header(frame);
    ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
    EXPECT_EQ(decoded->method, "Index");
    EXPECT_EQ(decoded->request_id, "00000000000000a1");
    EXPECT_EQ(decoded->origin, "host/42/test");
    EXPECT_EQ(decoded->retry, 2);
    EXPECT_EQ(decoded->timeout_ms, 1500);
    EXPECT_TRUE(decoded->idempotent);
    EXPECT_EQ(decoded->traceparent.substr(0, 3), "00-");
    EXPECT_EQ(decoded->parent, "00000000000000f0");
}

TEST(Envelope, ReplyHeaderRoundTrips) {
    rpc::reply_header h{"id-1", errc::service_error, "division by zero"};
    auto frame = rpc::encode_reply_header(h);
    auto decoded = rpc::decode_reply_header(frame);
    ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
    EXPECT_EQ(decoded->request_id, "id-1");
    EXPECT_EQ(decoded->code, errc::service_error);
    EXPECT_EQ(decoded->error, "division by zero");
}

TEST(Envelope, HeadersMissingRequiredFieldsAreRefused) {
    bson_doc no_method;
    no_method.add_string("request_id", "x");
    auto frame = std::move(no_method).to_frame();
    EXPECT_FALSE(rpc::decode_request_header(frame).ok());

    bson_doc wrong_type;
    wrong_type.add_int32("method", 5).add_string("request_id", "x");
    frame = std::move(wrong_type).to_frame();
    EXPECT_FALSE(rpc::decode_request_header(frame).ok());

    bson_doc unknown_code;
    unknown_code.add_string("request_id", "x").add_int32("code", 99);
    frame = std::move(unknown_code).to_frame();
    EXPECT_FALSE(rpc::decode_reply_header(frame).ok());
}

TEST(Envelope, GarbageBytesAreRefused) {
    for (std::string bytes :
         {std::string(), std::string("hello"), std::string(4, '\0'),
          std::string("\x05\0\0\0\0", 5) + "x", std::string("\xff\xff\xff\x7f\0", 5)}) {
        zmq::message_t frame(bytes.data(), bytes.size());
        EXPECT_FALSE(rpc::decode_request_header(frame).ok());
        EXPECT_FALSE(rpc::decode_reply_header(frame).ok());
        EXPECT_FALSE(rpc::peek_request(frame).has_value());
    }
}

TEST(Envelope, TruncatedHeaderIsRefused) {
    auto frame = rpc::encode_request_header(sample_header());
    std::string bytes = frame.to_string();
    for (std::size_t cut = 1; cut < bytes.size(); cut += 3) {
        // Keep the length prefix honest about the new size, so the decoder has
        // to find the damage inside the elements.
        std::string truncated = bytes.substr(0, bytes.size() - cut);
        auto size = static_cast<std::uint32_t>(truncated.size());
        std::memcpy(truncated.data(), &size, 4);
        truncated.back() = '\0';
        zmq::message_t damaged(truncated.data(), truncated.size());
        auto decoded = rpc::decode_request_header(damaged);
        if (decoded.ok()) {
            // Only cuts that leave whole elements may decode; they keep the method.
            EXPECT_EQ(decoded->method, "Index");
        }
    }
}

TEST(Envelope, BrokerRewritesTimeoutAndRetryInPlace) {
    auto frame = rpc::encode_request_header(sample_header());
    ASSERT_TRUE(rpc::rewrite_timeout(frame, 700));
    ASSERT_TRUE(rpc::rewrite_retry(frame, 5));
    auto meta = rpc::peek_request(frame);
    ASSERT_TRUE(meta.has_value());
    EXPECT_EQ(meta->timeout_ms, 700);
    EXPECT_TRUE(meta->idempotent);
    EXPECT_EQ(rpc::peek_retry(frame), 5);
    auto decoded = rpc::decode_request_header(frame);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->timeout_ms, 700);
    EXPECT_EQ(decoded->retry, 5);
}

TEST(Envelope, EmptyDocumentFrameIsValidBson) {
    auto frame = rpc::empty_document_frame();
    auto view = skynet::bus::bson_view::from_frame(frame);
    ASSERT_TRUE(view.ok());
    EXPECT_TRUE(view->empty());
}

// What libbson's appenders write for a header: the bytes our own writer must
// reproduce.
std::string libbson_request_header(const rpc::request_header& h) {
    bson_doc d;
    d.add_string("method", h.method).add_string("request_id", h.request_id);
    d.add_string("origin", h.origin).add_int32("retry", h.retry);
    if (h.timeout_ms) {
        d.add_int64("timeout_ms", *h.timeout_ms);
    }
    d.add_bool("idempotent", h.idempotent);
    if (!h.traceparent.empty()) {
        d.add_string("traceparent", h.traceparent);
    }
    if (!h.parent.empty()) {
        d.add_string("parent", h.parent);
    }
    auto v = d.view();
    return std::string(reinterpret_cast<const char*>(v.data()), v.size());
}

std::string bytes_of(const zmq::message_t& frame) {
    return std::string(static_cast<const char*>(frame.data()), frame.size());
}

TEST(Envelope, HeadersAreWrittenAsLibbsonWritesThem) {
    auto full = sample_header();
    EXPECT_EQ(bytes_of(rpc::encode_request_header(full)), libbson_request_header(full));
    rpc::request_header minimal;
    minimal.method = "m";
    minimal.request_id = "1";
    EXPECT_EQ(bytes_of(rpc::encode_request_header(minimal)), libbson_request_header(minimal));

    bson_doc reply;
    reply.add_string("request_id", "00000000000000a1").add_int32("code", 8);
    reply.add_string("error", "it broke");
    auto v = reply.view();
    EXPECT_EQ(
        bytes_of(rpc::encode_reply_header({"00000000000000a1", errc::service_error, "it broke"})),
        std::string(reinterpret_cast<const char*>(v.data()), v.size()));
}

// A header with fields of other types (a newer peer's additions) is read
// through libbson, and reads the same; rewrites still land in place.
TEST(Envelope, HeadersWithOtherFieldTypesReadAlike) {
    bson_doc d;
    d.add_string("method", "Index").add_double("weight", 0.5);
    d.add_document_with("extra", [](bson_doc& child) { child.add_int32("n", 1); });
    d.add_string("request_id", "00000000000000a1").add_int32("retry", 1);
    d.add_int64("timeout_ms", 900).add_bool("idempotent", true);
    auto frame = std::move(d).to_frame();

    auto fast = rpc::decode_request_header(frame);
    auto slow = rpc::reference::decode_request_header(frame);
    ASSERT_TRUE(fast.ok()) << fast.err().detail;
    ASSERT_TRUE(slow.ok());
    EXPECT_EQ(fast->method, "Index");
    EXPECT_EQ(fast->request_id, slow->request_id);
    EXPECT_EQ(fast->timeout_ms, 900);
    EXPECT_TRUE(fast->idempotent);

    ASSERT_TRUE(rpc::rewrite_timeout(frame, 300));
    ASSERT_TRUE(rpc::rewrite_retry(frame, 4));
    auto meta = rpc::peek_request(frame);
    ASSERT_TRUE(meta.has_value());
    EXPECT_EQ(meta->timeout_ms, 300);
    EXPECT_EQ(rpc::peek_retry(frame), 4);
}

TEST(Envelope, WrongTypesAreRefusedByBothReaders) {
    bson_doc d;
    d.add_string("method", "Index").add_string("request_id", "x").add_double("timeout_ms", 5);
    auto frame = std::move(d).to_frame();
    auto fast = rpc::decode_request_header(frame);
    ASSERT_FALSE(fast.ok());
    EXPECT_EQ(fast.err().detail, rpc::reference::decode_request_header(frame).err().detail);

    bson_doc b;
    b.add_string("method", "Index").add_string("request_id", "x").add_int32("idempotent", 1);
    auto frame2 = std::move(b).to_frame();
    ASSERT_FALSE(rpc::decode_request_header(frame2).ok());
    ASSERT_FALSE(rpc::reference::decode_request_header(frame2).ok());
}

}  // namespace

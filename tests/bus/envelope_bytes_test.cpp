// The envelope's readers and rewrites over bytes (a header inside a batch
// frame): they read what the frame versions read, on headers at any offset of
// a larger buffer, and rewrite only the value's bytes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "envelope_samples.hpp"
#include "skynet/bus/bson.hpp"
#include "skynet/bus/envelope.hpp"
#include "skynet/bus/frames.hpp"

namespace rpc = skynet::bus::rpc;
using skynet::bus::bson_doc;
using skynet::bus::errc;
using skynet::bus::view_of;
using skynet::testing::sample_header;

namespace {

// A header with fields the hand reader leaves to libbson.
std::string foreign_header() {
    bson_doc d;
    d.add_string("method", "Index").add_double("weight", 0.5);
    d.add_string("request_id", "00000000000000a1").add_int32("retry", 1);
    d.add_int64("timeout_ms", 900).add_bool("idempotent", true);
    return std::string(view_of(std::move(d).to_frame()));
}

// Headers good and bad: the byte and frame readers must agree on each.
std::vector<std::string> inputs() {
    std::vector<std::string> out = {
        std::string(view_of(rpc::encode_request_header(sample_header()))),
        std::string(view_of(rpc::encode_reply_header({"id-1", errc::timeout, "late"}))),
        std::string(view_of(rpc::empty_document_frame())),
        foreign_header(),
        std::string(),
        std::string("hello"),
        std::string(4, '\0'),
        std::string("\x05\0\0\0\0", 5) + "x",
        std::string("\xff\xff\xff\x7f\0", 5),
    };
    const std::string whole = out[0];
    out.push_back(whole.substr(0, whole.size() / 2));
    return out;
}

template <class Result>
void expect_same_result(const Result& a, const Result& b) {
    ASSERT_EQ(a.ok(), b.ok());
    if (!a.ok()) {
        EXPECT_EQ(a.err(), b.err());
    }
}

void expect_same(const rpc::request_header& a, const rpc::request_header& b) {
    EXPECT_EQ(a.method, b.method);
    EXPECT_EQ(a.request_id, b.request_id);
    EXPECT_EQ(a.origin, b.origin);
    EXPECT_EQ(a.retry, b.retry);
    EXPECT_EQ(a.timeout_ms, b.timeout_ms);
    EXPECT_EQ(a.idempotent, b.idempotent);
    EXPECT_EQ(a.traceparent, b.traceparent);
    EXPECT_EQ(a.parent, b.parent);
}

void expect_same(const std::optional<rpc::request_meta>& a,
                 const std::optional<rpc::request_meta>& b) {
    ASSERT_EQ(a.has_value(), b.has_value());
    if (a) {
        EXPECT_EQ(a->request_id, b->request_id);
        EXPECT_EQ(a->timeout_ms, b->timeout_ms);
        EXPECT_EQ(a->idempotent, b->idempotent);
    }
}

// Reads `bytes` as bytes, at an odd offset of a larger buffer (as in a batch
// frame), and as a frame of their own; both must read the same.
void expect_readers_agree(const std::string& bytes) {
    const std::string buffer = "abc" + bytes + "trailing";
    const std::string_view inside = std::string_view(buffer).substr(3, bytes.size());
    zmq::message_t frame(bytes.data(), bytes.size());

    auto from_bytes = rpc::decode_request_header(inside);
    auto from_frame = rpc::decode_request_header(frame);
    expect_same_result(from_bytes, from_frame);
    if (from_bytes.ok()) {
        expect_same(*from_bytes, *from_frame);
        EXPECT_EQ(from_bytes->method.data(),
                  inside.data() + (from_frame->method.data() - static_cast<char*>(frame.data())));
    }
    auto slow = rpc::reference::decode_request_header(inside);
    expect_same_result(slow, from_frame);
    if (slow.ok()) {
        expect_same(*slow, *from_frame);
    }

    auto reply_bytes = rpc::decode_reply_header(inside);
    auto reply_frame = rpc::decode_reply_header(frame);
    expect_same_result(reply_bytes, reply_frame);
    expect_same_result(rpc::reference::decode_reply_header(inside), reply_frame);
    if (reply_bytes.ok()) {
        EXPECT_EQ(reply_bytes->request_id, reply_frame->request_id);
        EXPECT_EQ(reply_bytes->code, reply_frame->code);
        EXPECT_EQ(reply_bytes->error, reply_frame->error);
    }

    expect_same(rpc::peek_request(inside), rpc::peek_request(frame));
    expect_same(rpc::reference::peek_request(inside), rpc::peek_request(frame));
    EXPECT_EQ(rpc::peek_retry(inside), rpc::peek_retry(frame));
}

TEST(EnvelopeBytes, ByteAndFrameReadersAgree) {
    for (const auto& bytes : inputs()) {
        SCOPED_TRACE(testing::PrintToString(bytes));
        expect_readers_agree(bytes);
    }
}

// A rewrite through bytes changes what the same rewrite of a frame changes,
// and nothing outside the header.
void expect_rewrites_agree(const std::string& bytes) {
    std::string buffer = "abc" + bytes + "trailing";
    std::span<char> inside(buffer.data() + 3, bytes.size());
    zmq::message_t frame(bytes.data(), bytes.size());

    EXPECT_EQ(rpc::rewrite_timeout(inside, 300), rpc::rewrite_timeout(frame, 300));
    EXPECT_EQ(rpc::rewrite_retry(inside, 4), rpc::rewrite_retry(frame, 4));
    EXPECT_EQ(std::string_view(inside.data(), inside.size()), view_of(frame));
    EXPECT_EQ(buffer.substr(0, 3), "abc");
    EXPECT_EQ(buffer.substr(3 + bytes.size()), "trailing");
}

TEST(EnvelopeBytes, RewritesOfBytesAndFramesAgree) {
    for (const auto& bytes : inputs()) {
        SCOPED_TRACE(testing::PrintToString(bytes));
        expect_rewrites_agree(bytes);
    }
}

TEST(EnvelopeBytes, RewritesLandInPlace) {
    for (const auto& bytes : {inputs()[0], foreign_header()}) {
        std::string buffer = "x" + bytes;  // an odd offset: nothing needs alignment
        std::span<char> inside(buffer.data() + 1, bytes.size());
        ASSERT_TRUE(rpc::rewrite_timeout(inside, 700));
        ASSERT_TRUE(rpc::rewrite_retry(inside, 5));
        const std::string_view view(inside.data(), inside.size());
        auto meta = rpc::peek_request(view);
        ASSERT_TRUE(meta.has_value());
        EXPECT_EQ(meta->timeout_ms, 700);
        EXPECT_EQ(rpc::peek_retry(view), 5);
        auto decoded = rpc::decode_request_header(view);
        ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
        EXPECT_EQ(decoded->timeout_ms, 700);
        EXPECT_EQ(decoded->retry, 5);
    }
}

TEST(EnvelopeBytes, RewritesOfAbsentFieldsWriteNothing) {
    auto h = sample_header();
    h.timeout_ms.reset();
    std::string bytes(view_of(rpc::encode_request_header(h)));
    const std::string before = bytes;
    EXPECT_FALSE(rpc::rewrite_timeout(std::span<char>(bytes), 5));
    EXPECT_EQ(bytes, before);

    bson_doc d;
    d.add_string("method", "m").add_string("request_id", "1").add_int64("retry", 1);
    std::string wrong_type(view_of(std::move(d).to_frame()));
    const std::string untouched = wrong_type;
    EXPECT_FALSE(rpc::rewrite_retry(std::span<char>(wrong_type), 2));
    EXPECT_EQ(wrong_type, untouched);
}

}  // namespace

// The "meta" sub-document of a request header: written from a caller's
// pairs, read back by both readers alike, refused when a value is not a
// string, and copied as it is when a header is written from a decoded one.
#include <bson/bson.h>
#include <gtest/gtest.h>

#include <vector>

#include "skynet/bus/envelope.hpp"
#include "skynet/bus/frames.hpp"

namespace skynet::testing {
namespace {

namespace rpc = bus::rpc;

std::vector<std::pair<std::string_view, std::string_view>> pairs_of(const bus::metadata_view& m) {
    return {m.begin(), m.end()};
}

TEST(MetadataEnvelope, PairsRoundTripThroughBothReaders) {
    const bus::metadata_list sent = {{"tenant", "acme"}, {"empty", ""}, {"tenant", "second"}};
    rpc::request_header h;
    h.method = "M";
    h.request_id = "r1";
    h.metadata = bus::metadata_view(sent);
    auto frame = rpc::encode_request_header(h);
    for (auto decoded :
         {rpc::decode_request_header(frame), rpc::reference::decode_request_header(frame)}) {
        ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
        const auto got = pairs_of(decoded->metadata);
        ASSERT_EQ(got.size(), 3u);
        EXPECT_EQ(got[0].first, "tenant");
        EXPECT_EQ(got[0].second, "acme");
        EXPECT_EQ(got[1].second, "");
        EXPECT_EQ(decoded->metadata.find("tenant"), "acme");  // the first of a repeated key
        EXPECT_FALSE(decoded->metadata.find("absent").has_value());
    }
}

TEST(MetadataEnvelope, NoMetadataWritesNoField) {
    rpc::request_header h;
    h.method = "M";
    h.request_id = "r1";
    const auto plain = rpc::encoded_size(h);
    const bus::metadata_list none;
    h.metadata = bus::metadata_view(none);
    EXPECT_EQ(rpc::encoded_size(h), plain);
    auto decoded = rpc::decode_request_header(rpc::encode_request_header(h));
    ASSERT_TRUE(decoded.ok());
    EXPECT_TRUE(decoded->metadata.empty());
}

TEST(MetadataEnvelope, BytesMatchLibbson) {
    const bus::metadata_list sent = {{"k", "v"}};
    rpc::request_header h;
    h.method = "M";
    h.request_id = "r";
    h.metadata = bus::metadata_view(sent);
    auto frame = rpc::encode_request_header(h);

    bson_t* doc = bson_new();
    BSON_APPEND_UTF8(doc, "method", "M");
    BSON_APPEND_UTF8(doc, "request_id", "r");
    BSON_APPEND_UTF8(doc, "origin", "");
    BSON_APPEND_INT32(doc, "retry", 0);
    BSON_APPEND_BOOL(doc, "idempotent", false);
    bson_t meta;
    BSON_APPEND_DOCUMENT_BEGIN(doc, "meta", &meta);
    BSON_APPEND_UTF8(&meta, "k", "v");
    bson_append_document_end(doc, &meta);
    ASSERT_EQ(frame.size(), doc->len);
    EXPECT_EQ(0, std::memcmp(frame.data(), bson_get_data(doc), doc->len));
    bson_destroy(doc);
}

TEST(MetadataEnvelope, DecodedMetadataIsWrittenAgainAsItCame) {
    const bus::metadata_list sent = {{"a", "1"}, {"b", "2"}};
    rpc::request_header h;
    h.method = "M";
    h.request_id = "r";
    h.metadata = bus::metadata_view(sent);
    auto first = rpc::encode_request_header(h);
    auto decoded = rpc::decode_request_header(first);
    ASSERT_TRUE(decoded.ok());
    auto again = rpc::encode_request_header(*decoded);
    EXPECT_EQ(bus::view_of(first), bus::view_of(again));
}

TEST(MetadataEnvelope, ValuesThatAreNotStringsAreRefusedByBothReaders) {
    bson_t* doc = bson_new();
    BSON_APPEND_UTF8(doc, "method", "M");
    BSON_APPEND_UTF8(doc, "request_id", "r");
    bson_t meta;
    BSON_APPEND_DOCUMENT_BEGIN(doc, "meta", &meta);
    BSON_APPEND_INT32(&meta, "n", 1);
    bson_append_document_end(doc, &meta);
    zmq::message_t frame(bson_get_data(doc), doc->len);
    bson_destroy(doc);
    auto fast = rpc::decode_request_header(frame);
    auto slow = rpc::reference::decode_request_header(frame);
    ASSERT_FALSE(fast.ok());
    ASSERT_FALSE(slow.ok());
    EXPECT_EQ(fast.err().code, bus::errc::bad_request);
    EXPECT_EQ(fast.err().detail, slow.err().detail);
}

TEST(MetadataEnvelope, MetaThatIsNotADocumentIsRefused) {
    bson_t* doc = bson_new();
    BSON_APPEND_UTF8(doc, "method", "M");
    BSON_APPEND_UTF8(doc, "request_id", "r");
    BSON_APPEND_UTF8(doc, "meta", "k=v");
    zmq::message_t frame(bson_get_data(doc), doc->len);
    bson_destroy(doc);
    EXPECT_FALSE(rpc::decode_request_header(frame).ok());
    EXPECT_FALSE(rpc::reference::decode_request_header(frame).ok());
}

TEST(MetadataEnvelope, OtherSubDocumentsAreIgnoredAlike) {
    bson_t* doc = bson_new();
    BSON_APPEND_UTF8(doc, "method", "M");
    bson_t other;
    BSON_APPEND_DOCUMENT_BEGIN(doc, "future", &other);
    BSON_APPEND_INT32(&other, "x", 1);
    bson_append_document_end(doc, &other);
    BSON_APPEND_UTF8(doc, "request_id", "r");
    zmq::message_t frame(bson_get_data(doc), doc->len);
    bson_destroy(doc);
    auto fast = rpc::decode_request_header(frame);
    ASSERT_TRUE(fast.ok());
    EXPECT_EQ(fast->request_id, "r");
    EXPECT_TRUE(rpc::reference::decode_request_header(frame).ok());
    auto peeked = rpc::peek_request(frame);
    ASSERT_TRUE(peeked.has_value());
    EXPECT_EQ(peeked->request_id, "r");
}

}  // namespace
}  // namespace skynet::testing

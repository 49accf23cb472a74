// Every reader over corrupt bytes: each byte of a document with arrays and
// nested documents set to values that break lengths, types and terminators,
// then everything read. Reads stay inside the (exactly sized, heap) buffer:
// under ASan an out-of-bounds read fails this test; without it, no crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "skynet/bus/bson.hpp"

using skynet::bson_array_builder;
using skynet::bson_doc;
using skynet::bson_element;
using skynet::bson_view;

namespace {

bson_doc rich() {
    return bson_doc{}
        .add_string("s", "text")
        .add_array("xs", {1, 2, 3})
        .add_document_with("in",
                           [](bson_doc& d) {
                               d.add_array_with("deep", [](bson_array_builder& a) {
                                   a.add_document_with([](bson_doc& e) { e.add_int64("n", 1); });
                                   a.add("t");
                               });
                           })
        .add_double("d", 0.25);
}

// Reads everything the public API can reach; returns how many elements it saw.
int walk(const bson_view& doc, int depth) {
    int seen = 0;
    for (bson_element e : doc) {
        ++seen;
        (void)e.describe();
        (void)e.read_string();
        (void)e.read_int64();
        (void)e.read_double();
        if (auto child = e.get_document(); child && depth < 8) {
            seen += walk(*child, depth + 1);
        }
        if (auto array = e.get_array(); array && depth < 8) {
            (void)array->size();
            (void)array->at(1);
            (void)array->values<std::string_view>();
            seen += walk(array->elements(), depth + 1);
        }
    }
    (void)doc.read_int64("xs");
    (void)doc.read_array("xs");
    (void)doc.to_json();
    (void)doc.validate();
    return seen;
}

TEST(BsonCorrupt, NoReaderLeavesTheBuffer) {
    auto doc = rich();
    const std::vector<std::uint8_t> bytes(doc.view().data(), doc.view().data() + doc.view().size());
    int opened = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        for (std::uint8_t value : {0x00, 0x01, 0x03, 0x04, 0x7f, 0xff}) {
            auto copy = std::make_unique<std::uint8_t[]>(bytes.size());  // exact size for ASan
            std::copy(bytes.begin(), bytes.end(), copy.get());
            copy[i] = value;
            auto view = bson_view::from_bytes(copy.get(), bytes.size());
            if (view.ok()) {
                ++opened;
                EXPECT_GE(walk(*view, 0), 0);
            }
        }
    }
    EXPECT_GT(opened, 0);               // the walk did run over corrupt documents
    EXPECT_GT(walk(doc.view(), 0), 8);  // and it reads a sound one whole
}

TEST(BsonCorrupt, TruncatedDocumentsAreRefusedOrReadSafely) {
    auto doc = rich();
    const auto size = doc.view().size();
    for (std::size_t cut = 0; cut < size; ++cut) {
        auto copy = std::make_unique<std::uint8_t[]>(cut + 1);
        std::copy(doc.view().data(), doc.view().data() + cut, copy.get());
        auto view = bson_view::from_bytes(copy.get(), cut);
        EXPECT_FALSE(view.ok()) << cut;  // the length prefix says more
    }
}

}  // namespace

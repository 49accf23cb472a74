// mmi.service_stats's codec (bus/mmi.hpp): what a broker encodes reads back
// the same, and what is not such a document is an error, never a crash.
#include <gtest/gtest.h>

#include "skynet/bus/mmi.hpp"

namespace skynet::bus::mmi {
namespace {

TEST(ServiceFigures, RoundTrip) {
    std::vector<service_figures> sent = {
        {"echo", 1, 2, 1, 1, 100, 3},
        {"echo@2", 0, 1, 1, 0, 40, 0},
    };
    auto doc = encode_service_figures(sent);
    auto read = decode_service_figures(doc.view());
    ASSERT_TRUE(read.ok()) << read.err().detail;
    EXPECT_EQ(*read, sent);
    EXPECT_EQ(doc.view().get_array("services")->size(), 2u);
}

TEST(ServiceFigures, MissingFiguresReadZero) {
    auto doc = bson_doc::from_json(R"({"services": [{"name": "old", "queued": 4}]})");
    ASSERT_TRUE(doc.ok());
    auto read = decode_service_figures(doc->view());
    ASSERT_TRUE(read.ok());
    ASSERT_EQ(read->size(), 1u);
    EXPECT_EQ((*read)[0], (service_figures{"old", 4, 0, 0, 0, 0, 0}));
}

TEST(ServiceFigures, NotSuchADocumentIsAnError) {
    for (const char* json : {R"({})", R"({"services": 3})", R"({"services": [{"queued": 1}]})",
                             R"({"services": [7]})"}) {
        auto doc = bson_doc::from_json(json);
        ASSERT_TRUE(doc.ok()) << json;
        auto read = decode_service_figures(doc->view());
        ASSERT_FALSE(read.ok()) << json;
        EXPECT_EQ(read.err().code, errc::bad_request);
    }
}

}  // namespace
}  // namespace skynet::bus::mmi

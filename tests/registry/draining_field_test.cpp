// The record's `draining` flag (issue #16): written by an owner that began
// its graceful stop, only when true, so that records written before it, and
// by owners that never drain, read as not draining.

#include <gtest/gtest.h>

#include <algorithm>

#include "registry_fixture.hpp"
#include "skynet/registry/codec.hpp"
#include "skynet/registry/connection.hpp"
#include "skynet/registry/registrar.hpp"

namespace skynet::testing {
namespace {

using registry::decode_instance;
using registry::encode_instance;
using registry::field_view;

bool has_draining(const std::vector<registry::field_pair>& pairs) {
    return std::any_of(pairs.begin(), pairs.end(),
                       [](const auto& p) { return p.first == registry::field::draining; });
}

TEST(DrainingField, ADrainingRecordRoundTrips) {
    auto r = make_record("w-1");
    r.draining = true;
    auto pairs = encode_instance(r);
    EXPECT_TRUE(has_draining(pairs));
    auto decoded = decode_instance(views_of(pairs));
    ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
    EXPECT_TRUE(decoded->draining);
    EXPECT_EQ(*decoded, r);
}

TEST(DrainingField, OnlyWrittenWhenTrue) {
    auto r = make_record("w-1");
    EXPECT_FALSE(has_draining(encode_instance(r)));
    auto decoded = decode_instance(views_of(encode_instance(r)));
    ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
    EXPECT_FALSE(decoded->draining);
}

TEST(DrainingField, AbsentOrWordsReadSafely) {
    std::vector<field_view> old{{"id", "w-1"}, {"kind", "worker"}};
    auto decoded = decode_instance(old);
    ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
    EXPECT_FALSE(decoded->draining);
    for (auto [text, expected] :
         {std::pair{"1", true}, {"true", true}, {"0", false}, {"false", false}}) {
        std::vector<field_view> f{{"id", "w-1"}, {"kind", "worker"}, {"draining", text}};
        auto d = decode_instance(f);
        ASSERT_TRUE(d.ok()) << text;
        EXPECT_EQ(d->draining, expected) << text;
    }
}

TEST(DrainingField, ABadValueIsNamed) {
    std::vector<field_view> f{{"id", "w-1"}, {"kind", "worker"}, {"draining", "yes"}};
    auto decoded = decode_instance(f);
    ASSERT_FALSE(decoded.ok());
    EXPECT_NE(decoded.err().detail.find("draining"), std::string::npos) << decoded.err().detail;
}

class DrainingFieldRedis : public RegistryTest {};

// Through a real Redis: an update that sets it reaches readers.
TEST_F(DrainingFieldRedis, AnUpdateReachesReaders) {
    const auto record = make_record("svc-h1-0123456789ab");
    registry::registrar w(options(), record, fast_registrar());
    auto draining = [&]() -> std::optional<bool> {
        auto c = registry::connection::open(options());
        auto all = c.ok() ? c->find()
                          : bus::result<std::vector<registry::instance>>{
                                bus::error{bus::errc::unavailable, "no redis"}};
        if (!all.ok() || all->size() != 1) {
            return std::nullopt;
        }
        return all->front().draining;
    };
    ASSERT_TRUE(eventually([&] { return draining() == false; }));
    w.update([](registry::instance& r) { r.draining = true; });
    EXPECT_TRUE(eventually([&] { return draining() == true; }));
}

}  // namespace
}  // namespace skynet::testing

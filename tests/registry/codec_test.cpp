// The instance record's hash codec: round trips, and garbage that must come
// back as an error, never a crash (issue 6 fuzzes decode_instance further).

#include "skynet/registry/codec.hpp"

#include <gtest/gtest.h>

#include <random>

#include "registry_fixture.hpp"

namespace skynet::testing {
namespace {

using registry::decode_instance;
using registry::encode_instance;
using registry::field_view;

TEST(RegistryCodec, RoundTripKeepsEveryField) {
    auto r = make_record("w-1");
    r.kind = registry::instance_kind::broker;
    r.endpoint = "tcp://10.0.0.1:5555";
    r.registered = false;
    r.stats = {.requests = 10,
               .errors = 2,
               .latency_avg_us = 350,
               .latency_p99_us = 9000,
               .last_request_at = 1700000001234,
               .clients = 3,
               .latency_p50_us = 120,
               .latency_p95_us = 4100,
               .last_error = "SERVICE_ERROR: disk full"};
    auto pairs = encode_instance(r);
    auto decoded = decode_instance(views_of(pairs));
    ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
    EXPECT_EQ(*decoded, r);
}

TEST(RegistryCodec, EmptyMethodsRoundTrip) {
    auto r = make_record("w-1");
    r.methods.clear();
    auto decoded = decode_instance(views_of(encode_instance(r)));
    ASSERT_TRUE(decoded.ok());
    EXPECT_TRUE(decoded->methods.empty());
}

TEST(RegistryCodec, MethodNameWithCommaIsDropped) {
    auto r = make_record("w-1");
    r.methods = {"a", "b,c", "d"};
    auto decoded = decode_instance(views_of(encode_instance(r)));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->methods, (std::vector<std::string>{"a", "d"}));
}

TEST(RegistryCodec, UnknownFieldsAreIgnored) {
    std::vector<field_view> f{{"id", "x"}, {"kind", "daemon"}, {"future", "\xff\x00"}};
    auto decoded = decode_instance(f);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded->kind, registry::instance_kind::daemon);
}

TEST(RegistryCodec, GarbageIsAnError) {
    const std::vector<std::vector<field_view>> table{
        {},
        {{"kind", "worker"}},
        {{"id", ""}, {"kind", "worker"}},
        {{"id", "x"}},
        {{"id", "x"}, {"kind", "wizard"}},
        {{"id", "x"}, {"kind", ""}},
        {{"id", "x"}, {"kind", "worker"}, {"pid", "12a"}},
        {{"id", "x"}, {"kind", "worker"}, {"pid", ""}},
        {{"id", "x"}, {"kind", "worker"}, {"pid", " 12"}},
        {{"id", "x"}, {"kind", "worker"}, {"pid", "99999999999999999999999"}},
        {{"id", "x"}, {"kind", "worker"}, {"requests", "-1"}},
        {{"id", "x"}, {"kind", "worker"}, {"errors", "1.5"}},
        {{"id", "x"}, {"kind", "worker"}, {"latency_p99_us", "0x10"}},
        {{"id", "x"}, {"kind", "worker"}, {"started_at", "yesterday"}},
        {{"id", "x"}, {"kind", "worker"}, {"registered", "yes"}},
        {{"id", "x"}, {"kind", "worker"}, {"registered", ""}},
        {{"id", "x"}, {"kind", "worker"}, {"clients", "18446744073709551616"}},
    };
    for (std::size_t i = 0; i < table.size(); ++i) {
        auto decoded = decode_instance(table[i]);
        ASSERT_FALSE(decoded.ok()) << "row " << i;
        EXPECT_EQ(decoded.err().code, bus::errc::bad_request) << "row " << i;
        EXPECT_FALSE(decoded.err().detail.empty());
    }
}

TEST(RegistryCodec, RandomBytesNeverCrash) {
    std::mt19937 bits(42);
    const std::vector<std::string> names{
        "id", "kind", "pid", "registered", "methods", "requests", "started_at", "clients", "x"};
    for (int round = 0; round < 2000; ++round) {
        std::vector<std::string> storage;
        int n = static_cast<int>(bits() % 8);
        for (int i = 0; i < n; ++i) {
            storage.push_back(names[bits() % names.size()]);
            std::string value(bits() % 24, '\0');
            for (auto& c : value) {
                c = static_cast<char>(bits() % 256);
            }
            storage.push_back(value);
        }
        std::vector<field_view> f;
        for (std::size_t i = 0; i + 1 < storage.size(); i += 2) {
            f.emplace_back(storage[i], storage[i + 1]);
        }
        auto decoded = decode_instance(f);
        if (decoded) {
            EXPECT_FALSE(decoded->id.empty());
        }
    }
}

TEST(RegistryKind, SpellingsRoundTrip) {
    for (auto k : {registry::instance_kind::broker, registry::instance_kind::worker,
                   registry::instance_kind::daemon}) {
        EXPECT_EQ(registry::kind_from_string(registry::to_string(k)), k);
    }
    EXPECT_FALSE(registry::kind_from_string("Worker"));
}

TEST(RegistryId, IdsAreUnique) {
    auto a = registry::make_instance_id(registry::instance_kind::worker, "h1");
    auto b = registry::make_instance_id(registry::instance_kind::worker, "h1");
    EXPECT_NE(a, b);
    EXPECT_TRUE(a.starts_with("worker-h1-"));
}

}  // namespace
}  // namespace skynet::testing

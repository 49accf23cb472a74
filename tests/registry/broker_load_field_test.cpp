// A broker's load figures in its record (issue #19): written for brokers
// only, read as 0 when absent, so that records written before them (and
// by brokers that do not publish them) still decode, and weigh as idle.

#include <gtest/gtest.h>

#include <algorithm>

#include "registry_fixture.hpp"
#include "skynet/registry/codec.hpp"

namespace skynet::testing {
namespace {

using registry::decode_instance;
using registry::encode_instance;
using registry::field_view;

registry::instance broker_record() {
    auto r = make_record("broker-1");
    r.kind = registry::instance_kind::broker;
    r.endpoint = "tcp://10.0.0.1:5555";
    r.methods.clear();
    return r;
}

TEST(BrokerLoadField, RoundTrips) {
    auto r = broker_record();
    r.load = {.queued = 1200, .in_flight = 16, .cpu_percent = 87};
    auto pairs = encode_instance(r);
    EXPECT_TRUE(has_field(pairs, registry::field::load_queued));
    auto decoded = decode_instance(views_of(pairs));
    ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
    EXPECT_EQ(decoded->load, r.load);
    EXPECT_EQ(*decoded, r);
}

TEST(BrokerLoadField, AnOldBrokerRecordDecodesAsIdle) {
    // What a broker wrote before the figures existed.
    std::vector<field_view> old{
        {"id", "broker-1"}, {"kind", "broker"},  {"endpoint", "tcp://10.0.0.1:5555"},
        {"region", "eu"},   {"registered", "1"}, {"services", "echo,echo@1"}};
    auto decoded = decode_instance(old);
    ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
    EXPECT_EQ(decoded->load, registry::broker_load_record{});
    EXPECT_EQ(decoded->services, (std::vector<std::string>{"echo", "echo@1"}));
}

TEST(BrokerLoadField, OnlyBrokersWriteOrKeepThem) {
    auto worker = make_record("w-1");
    EXPECT_FALSE(has_field(encode_instance(worker), registry::field::load_queued));
    std::vector<field_view> f{{"id", "w-1"}, {"kind", "worker"}, {"load_queued", "5"}};
    auto decoded = decode_instance(f);
    ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
    EXPECT_EQ(decoded->load.queued, 0u);
}

TEST(BrokerLoadField, ABadValueIsNamed) {
    std::vector<field_view> f{{"id", "b-1"}, {"kind", "broker"}, {"load_in_flight", "-3"}};
    auto decoded = decode_instance(f);
    ASSERT_FALSE(decoded.ok());
    EXPECT_NE(decoded.err().detail.find("load_in_flight"), std::string::npos);
}

}  // namespace
}  // namespace skynet::testing

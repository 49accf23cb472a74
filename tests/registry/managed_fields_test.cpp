// The fields issue 15 added to the instance record: managed_by for processes a
// host daemon started, and a daemon's host figures. Absent ones read as empty
// or 0, so that records written before them still decode.

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

registry::instance daemon_record() {
    auto r = make_record("daemon-h1-1");
    r.kind = registry::instance_kind::daemon;
    r.service.clear();
    r.host_figures = {.cpu_percent = 37,
                      .cpus = 8,
                      .memory_total = 16ULL << 30,
                      .memory_available = 5ULL << 30,
                      .load1 = 150,
                      .load5 = 90,
                      .load15 = 45,
                      .uptime_s = 86400};
    return r;
}

TEST(ManagedFields, ManagedByAndHostFiguresRoundTrip) {
    auto worker = make_record("svc-h1-0123456789ab");
    worker.managed_by = "daemon-h1-1";
    auto decoded = decode_instance(views_of(encode_instance(worker)));
    ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
    EXPECT_EQ(decoded->managed_by, "daemon-h1-1");
    EXPECT_EQ(*decoded, worker);

    auto daemon = daemon_record();
    auto back = decode_instance(views_of(encode_instance(daemon)));
    ASSERT_TRUE(back.ok()) << back.err().detail;
    EXPECT_EQ(back->host_figures, daemon.host_figures);
    EXPECT_EQ(*back, daemon);
}

TEST(ManagedFields, UnmanagedWorkersCarryNeitherField) {
    auto pairs = encode_instance(make_record("w-1"));
    EXPECT_FALSE(has_field(pairs, registry::field::managed_by));
    EXPECT_FALSE(has_field(pairs, registry::field::cpu_percent));
    EXPECT_FALSE(has_field(pairs, registry::field::uptime_s));
    EXPECT_TRUE(has_field(encode_instance(daemon_record()), registry::field::load15));
}

TEST(ManagedFields, AbsentFieldsReadAsEmptyOrZero) {
    std::vector<field_view> fields{{"id", "d-1"}, {"kind", "daemon"}};
    auto decoded = decode_instance(fields);
    ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
    EXPECT_EQ(decoded->managed_by, "");
    EXPECT_EQ(decoded->host_figures, registry::host_figures_record{});
}

TEST(ManagedFields, ABadFigureIsNamed) {
    std::vector<field_view> fields{{"id", "d-1"}, {"kind", "daemon"}, {"load5", "1.5"}};
    auto decoded = decode_instance(fields);
    ASSERT_FALSE(decoded.ok());
    EXPECT_NE(decoded.err().detail.find("load5"), std::string::npos) << decoded.err().detail;
}

class ManagedFieldsRedis : public RegistryTest {};

// Through a real Redis: what a reader gets is what the owner wrote.
TEST_F(ManagedFieldsRedis, AQueryReturnsTheNewFields) {
    auto worker = make_record("svc-h1-0123456789ab");
    worker.managed_by = "daemon-h1-1";
    registry::registrar w(options(), worker, fast_registrar());
    registry::registrar d(options(), daemon_record(), fast_registrar());
    std::vector<registry::instance> found;
    ASSERT_TRUE(eventually([&] {
        auto c = registry::connection::open(options());
        auto all = c.ok() ? c->find() : bus::result<std::vector<registry::instance>>{found};
        found = all.ok() ? *all : std::vector<registry::instance>{};
        return found.size() == 2;
    }));
    for (const auto& r : found) {
        if (r.id == worker.id) {
            EXPECT_EQ(r.managed_by, "daemon-h1-1");
        } else {
            EXPECT_EQ(r.host_figures.load1, 150U);
            EXPECT_EQ(r.host_figures.cpus, 8U);
        }
    }
}

}  // namespace
}  // namespace skynet::testing

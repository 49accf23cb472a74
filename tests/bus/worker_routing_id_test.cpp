// The worker routing id "<instance id>/<connection>/<epoch>": made by the
// worker, read by the broker, and anything else refused.
#include "skynet/bus/worker_routing_id.hpp"

#include <gtest/gtest.h>

namespace skynet::bus {
namespace {

TEST(WorkerRoutingId, RoundTrips) {
    const auto text = make_worker_routing_id("worker-host-42-0badcafe", 3, 17);
    EXPECT_EQ(text, "worker-host-42-0badcafe/3/17");
    auto parsed = parse_worker_routing_id(text);
    ASSERT_TRUE(parsed.ok()) << parsed.err().detail;
    EXPECT_EQ(parsed->instance_id, "worker-host-42-0badcafe");
    EXPECT_EQ(parsed->connection, 3u);
    EXPECT_EQ(parsed->epoch, 17u);
}

TEST(WorkerRoutingId, RefusesWhatItDidNotMake) {
    for (std::string_view text :
         {"", "worker-a", "worker-a/1", "/1/2", "worker-a//2", "worker-a/1/", "a/b/1/2",
          "worker-a/x/2", "worker-a/1/2x", "worker-a/-1/2", "worker-a/1/99999999999",
          "\x00\x01\x02", "//", "a/1/+2"}) {
        EXPECT_FALSE(parse_worker_routing_id(text).ok()) << text;
    }
}

}  // namespace
}  // namespace skynet::bus

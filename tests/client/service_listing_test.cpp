// Which calls a broker's record says it serves: a discovering client sends
// a call only to such brokers, so a bare name must match any version.
#include <gtest/gtest.h>

#include "skynet/registry/broker_directory.hpp"

namespace skynet::testing {
namespace {

TEST(ServiceListing, ABareNameIsServedByAnyVersionAndAVersionOnlyByItself) {
    const std::vector<std::string> services{"fib-x", "fib.y", "fib1", "fib@1.0", "greeter"};
    EXPECT_TRUE(registry::lists_service(services, "fib"));
    EXPECT_TRUE(registry::lists_service(services, "fib@1.0"));
    EXPECT_FALSE(registry::lists_service(services, "fib@2.0"));
    EXPECT_TRUE(registry::lists_service(services, "greeter"));
    EXPECT_FALSE(registry::lists_service(services, "greeter@1.0"));
    EXPECT_FALSE(registry::lists_service(services, "fi"));
    EXPECT_FALSE(registry::lists_service(services, "echo"));
    EXPECT_FALSE(registry::lists_service({}, "fib"));
}

}  // namespace
}  // namespace skynet::testing

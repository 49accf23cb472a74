// service_name: "name@version" split and joined in one place.
#include "skynet/bus/service_name.hpp"

#include <gtest/gtest.h>

namespace skynet::bus {
namespace {

TEST(ServiceName, SplitsAtTheFirstAt) {
    auto parts = split_service_name("echo@1.0");
    EXPECT_EQ(parts.name, "echo");
    EXPECT_EQ(parts.version, "1.0");
    parts = split_service_name("echo@1.0@rc");
    EXPECT_EQ(parts.name, "echo");
    EXPECT_EQ(parts.version, "1.0@rc");
}

TEST(ServiceName, AnEmptySideMakesABareName) {
    for (std::string_view text : {"echo", "@1.0", "echo@", "@", ""}) {
        auto parts = split_service_name(text);
        EXPECT_EQ(parts.name, text);
        EXPECT_TRUE(parts.version.empty()) << text;
    }
}

TEST(ServiceName, ParsesJoinsAndCompares) {
    auto versioned = service_name::parse("echo@1.0");
    EXPECT_TRUE(versioned.versioned());
    EXPECT_EQ(versioned.to_string(), "echo@1.0");
    EXPECT_EQ(versioned.bare(), service_name("echo"));
    EXPECT_EQ(versioned.bare().to_string(), "echo");
    EXPECT_EQ(versioned, service_name("echo", "1.0"));
    EXPECT_LT(service_name("echo", "1.0"), service_name("echo", "1.1"));
    EXPECT_LT(service_name("echo"), service_name("echo", "1.0"));
    EXPECT_EQ(join_service_name("fib", ""), "fib");
    EXPECT_EQ(join_service_name("fib", "2"), "fib@2");
}

}  // namespace
}  // namespace skynet::bus

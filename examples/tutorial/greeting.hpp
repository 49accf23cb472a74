#pragma once
// What the greeter's callers and the greeter say to each other: plain
// structs, described once for nlohmann::json, which Skynet's codec turns
// into BSON documents and back.

#include <skynet/bus/json.hpp>
#include <string>

struct hello {
    std::string name;
    int times = 1;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(hello, name, times)

struct greeting {
    std::string text;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(greeting, text)

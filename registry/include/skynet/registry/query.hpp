#pragma once
// Which instances a caller wants: every filter that is set must match
// exactly; an empty query matches every instance. Designated initializers
// read well: query{.service = "echo", .registered = true}.

#include <optional>
#include <string>

#include "skynet/registry/instance.hpp"

namespace skynet::registry {

struct query {
    std::optional<std::string> region = {};
    std::optional<std::string> host = {};
    std::optional<std::string> service = {};
    std::optional<std::string> version = {};
    std::optional<instance_kind> kind = {};
    std::optional<bool> registered = {};

    bool matches(const instance& record) const noexcept;
};

}  // namespace skynet::registry

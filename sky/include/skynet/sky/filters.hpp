#pragma once
// What a person narrows the cluster to: sky's --service, --version, --host,
// --region, --kind and --registered, and the registry query they ask for.
// The dashboard's /api/instances takes the same filters.

#include <optional>
#include <string>

#include "skynet/registry/instance.hpp"
#include "skynet/registry/query.hpp"

namespace skynet::sky {

struct filters {
    std::optional<std::string> service, version, host, region;
    std::optional<registry::instance_kind> kind;
    std::optional<bool> registered;

    bool empty() const noexcept;
    // The query these filters ask for.
    registry::query to_query() const;
    // "--service fibonacci --region eu", for messages; "" when empty.
    std::string describe() const;
    // Fills every filter unset here from `sticky` (the shell's `set`).
    void inherit(const filters& sticky);
};

// The registry URL: `given` (--redis), else SKYNET_REDIS, else
// redis://127.0.0.1:6379.
std::string registry_url(const std::optional<std::string>& given);

}  // namespace skynet::sky

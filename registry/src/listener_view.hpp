#pragma once
// What an instance_listener has reported, and the changes that bring it to
// the registry's present state. Pure bookkeeping, no I/O: the listener reads
// Redis and hands the results here.

#include <optional>
#include <string>
#include <vector>

#include "skynet/bus/string_map.hpp"
#include "skynet/registry/instance.hpp"
#include "skynet/registry/query.hpp"

namespace skynet::registry::detail {

struct change {
    enum class type { added, updated, removed };
    type what;
    instance record;  // removed: the last record reported
};

class listener_view {
public:
    explicit listener_view(query filter) : filter_(std::move(filter)) {}

    // The changes from the view to `fresh`, the full matching set just read;
    // the view becomes `fresh`. Removals come first, then additions and
    // updates, each sorted by id.
    std::vector<change> resync(std::vector<instance> fresh);

    // The change, if any, for one instance whose present record is `current`
    // (nothing: it is gone). A record that no longer matches counts as gone.
    std::optional<change> apply(const std::string& id, std::optional<instance> current);

    std::vector<instance> snapshot() const;

private:
    query filter_;
    bus::string_map<instance> seen_;
};

}  // namespace skynet::registry::detail

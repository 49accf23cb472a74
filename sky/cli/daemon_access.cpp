#include "daemon_access.hpp"

#include <ostream>

#include "exit_codes.hpp"

namespace skynet::sky {

filters daemons_filter(const invocation& inv) {
    filters f;
    f.host = inv.filter.host;
    f.region = inv.filter.region;
    f.kind = registry::instance_kind::daemon;
    return f;
}

std::optional<std::vector<registry::instance>> find_daemons(session& s, const invocation& inv,
                                                            int& code) {
    const auto f = daemons_filter(inv);
    auto found = s.find(f, code, filters{});
    if (!found) {
        return std::nullopt;
    }
    if (found->empty()) {
        auto where = f.host || f.region ? " match " + inv.filter.describe() : " are registered";
        code = s.fail(exit_code::no_match, "no host daemons" + where + " (is skyd running?)");
        return std::nullopt;
    }
    return found;
}

std::optional<listing_result> find_processes(session& s, const invocation& inv, int& code,
                                             bool& silent) {
    auto daemons = find_daemons(s, inv, code);
    if (!daemons) {
        return std::nullopt;
    }
    auto listed = list_processes(s.registry(), *daemons, timeout_of(inv));
    if (!listed) {
        code = s.fail(
            listed.code() == bus::errc::unavailable ? exit_code::unreachable : exit_code::failed,
            "cannot ask the host daemons through " + s.url() + ": " + listed.err().detail);
        return std::nullopt;
    }
    for (const auto& problem : listed->problems) {
        s.fail(exit_code::not_all_acted, problem);
    }
    silent = !listed->problems.empty();
    code = exit_code::ok;
    return std::move(listed).value();
}

}  // namespace skynet::sky

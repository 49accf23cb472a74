#pragma once
// A second "host" for tests: a network namespace of its own, joined to ours by
// a veth pair on a private /30, so that a test can cut the link (a netsplit)
// and restore it without touching any network outside the machine.
//
// Creating one takes root (CAP_SYS_ADMIN and CAP_NET_ADMIN) and iproute2's
// `ip`; where either is missing, create() says why, for the test to skip.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "skynet/bus/result.hpp"

namespace skynet::testing {

class network_namespace {
public:
    // Creates "skynet-netsplit-<pid>" and the pair skh<pid> (ours) / skg<pid>
    // (in the namespace), addresses on 10.231.0.0/16 chosen from our pid so
    // that parallel test processes do not clash, both ends up. First deletes
    // the namespaces of earlier test processes that died without cleaning up.
    // Errors: unavailable with what `ip` said (no privilege, no iproute2).
    static bus::result<std::unique_ptr<network_namespace>> create();

    // Deletes the pair and the namespace, also when the test failed. Kill the
    // processes running inside first: a namespace lives as long as they do.
    ~network_namespace();
    network_namespace(const network_namespace&) = delete;
    network_namespace& operator=(const network_namespace&) = delete;

    const std::string& name() const noexcept { return name_; }
    // Our end of the link ("10.231.x.y"): what the namespace dials to reach us.
    const std::string& host_address() const noexcept { return host_address_; }
    // The namespace's end of the link.
    const std::string& guest_address() const noexcept { return guest_address_; }

    // The program and arguments that run `binary args...` inside the
    // namespace (`ip netns exec` execs it: the pid is the binary's own).
    std::pair<std::string, std::vector<std::string>> exec(const std::string& binary,
                                                          std::vector<std::string> args) const;

    // Takes the namespace's end down, and up again. Down there rather than
    // here: our end keeps its route (no carrier, packets dropped), so that
    // nothing meant for the namespace leaks to our default route. Nothing on
    // success; what `ip` said otherwise.
    std::optional<std::string> cut();
    std::optional<std::string> restore();

    // The path of `ip`, or empty if iproute2 is not installed.
    static std::string ip_path();

private:
    network_namespace() = default;

    std::string name_;
    std::string host_link_;   // skh<pid>, in our namespace
    std::string guest_link_;  // skg<pid>, in the test's namespace
    std::string host_address_;
    std::string guest_address_;
    bool namespace_made_ = false;
    bool link_made_ = false;
};

}  // namespace skynet::testing

#pragma once
// Several "hosts" for the cluster test: one network namespace each, all on
// one subnet through a bridge in our namespace (one veth pair per host, our
// end enslaved to the bridge), so that the hosts reach each other and we reach
// every one of them. A test can take one host's link down (the host is gone)
// and cut some hosts from others (a partition: blackhole routes inside the
// namespaces, so that we still reach both sides).
//
// Creating it takes root (CAP_SYS_ADMIN and CAP_NET_ADMIN) and iproute2's
// `ip`; where either is missing, create() says why, for the test to skip.
// tests/netsplit/network_namespace is the one-namespace, one-/30 twin.

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "skynet/bus/result.hpp"

namespace skynet::testing {

class host_fabric {
public:
    // Makes the bridge "skcl<pid>" with 10.<232 + pid/256 % 8>.<pid % 256>.1/24
    // (10.232/13: netsplit's 10.231/16 is apart) and, for each name, the
    // namespace "skynet-cluster-<pid>-<name>" with "eth0" at .10, .11, ... of
    // that /24, its lo up. First deletes what earlier test processes that died
    // without cleaning up left behind. Errors: unavailable with what `ip` said.
    static bus::result<std::unique_ptr<host_fabric>> create(std::vector<std::string> names);

    // Deletes the namespaces (their veth pairs go with them) and the bridge,
    // also when the test failed. Kill the processes inside first: what is
    // left is SIGKILLed here (and, after a test killed by its timeout, by the
    // next test's create()).
    ~host_fabric();
    host_fabric(const host_fabric&) = delete;
    host_fabric& operator=(const host_fabric&) = delete;

    int size() const noexcept { return static_cast<int>(hosts_.size()); }
    const std::string& name(int host) const { return hosts_.at(host).name; }
    const std::string& address(int host) const { return hosts_.at(host).address; }
    const std::string& namespace_name(int host) const { return hosts_.at(host).netns; }
    // Our address on the bridge.
    const std::string& bridge_address() const noexcept { return bridge_address_; }

    // The program and arguments that run `program args...` inside the host's
    // namespace (`ip netns exec` execs it: the pid is the program's own).
    // `program`: a name in bin_dir(), or a path.
    std::pair<std::string, std::vector<std::string>> exec(int host, const std::string& program,
                                                          std::vector<std::string> args) const;

    // Moves the calling thread into the host's network namespace (setns):
    // the sockets it opens from then on, and the threads it starts, are the
    // host's. Nothing on success, what failed otherwise.
    std::optional<std::string> enter(int host) const;

    // The processes running in the host's namespace, whoever started them.
    std::vector<pid_t> processes(int host) const;

    // Takes the host's end of its link down, and up again. Nothing on
    // success; what `ip` said otherwise.
    std::optional<std::string> link_down(int host);
    std::optional<std::string> link_up(int host);

    // Blackhole routes in both directions between every host of `one` and
    // every host of `other` (a packet for the other side is dropped where it
    // is sent); heal() deletes every route partition() added.
    std::optional<std::string> partition(const std::vector<int>& one,
                                         const std::vector<int>& other);
    std::optional<std::string> heal();

    // The path of `ip`, or empty if iproute2 is not installed.
    static std::string ip_path();

private:
    struct host_link {
        std::string name, netns, link, address;
        bool made = false;
    };

    host_fabric() = default;
    std::optional<std::string> add_host(const std::string& name, int index);

    std::string bridge_;
    std::string subnet_;  // "10.a.b."
    std::string bridge_address_;
    bool bridge_made_ = false;
    std::vector<host_link> hosts_;
    std::vector<std::pair<int, std::string>> routes_;  // (host, address) blackholed there
};

}  // namespace skynet::testing

#include "host_fabric.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "support/ip_command.hpp"
#include "support/process.hpp"

namespace skynet::testing {

namespace {

constexpr std::string_view netns_prefix = "skynet-cluster-";
constexpr std::string_view bridge_prefix = "skcl";

// The owner's pid from "<prefix><pid>[-...]", or 0.
int owner_of(const std::string& name, std::string_view prefix) {
    if (!name.starts_with(prefix)) {
        return 0;
    }
    try {
        return std::stoi(name.substr(prefix.size()));
    } catch (const std::exception&) {
        return 0;
    }
}

// The processes whose network namespace is the named one: those whose
// /proc/<pid>/ns/net is the file `ip netns add` bind-mounted under
// /run/netns (what `ip netns pids` does, without a process per look). A
// zombie has left its namespaces: it is not listed.
std::vector<pid_t> processes_in(const std::string& netns) {
    struct stat target {};
    if (::stat(("/run/netns/" + netns).c_str(), &target) != 0) {
        return {};
    }
    std::vector<pid_t> out;
    std::error_code error;
    for (std::filesystem::directory_iterator it("/proc", error), end; !error && it != end;
         it.increment(error)) {
        const auto name = it->path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        struct stat ns {};
        if (::stat((it->path() / "ns" / "net").c_str(), &ns) == 0 && ns.st_dev == target.st_dev &&
            ns.st_ino == target.st_ino) {
            out.push_back(static_cast<pid_t>(std::stol(name)));
        }
    }
    return out;
}

// SIGKILL to whatever still runs in the namespace: a namespace whose name is
// deleted lives on as long as its processes do.
void kill_inside(const std::string& netns) {
    for (const pid_t pid : processes_in(netns)) {
        if (pid > 1) {
            ::kill(pid, SIGKILL);
        }
    }
}

// A test killed by its timeout (SIGKILL) runs no destructor: its namespaces,
// their processes and its bridge stay behind. The next test deletes those
// whose owner is gone.
void delete_orphans() {
    auto netns = run_program(ip_path(), {"netns", "list"}, std::chrono::seconds(10));
    std::istringstream lines(netns.out);
    for (std::string line; std::getline(lines, line);) {
        auto name = line.substr(0, line.find(' '));  // "name (id: 3)"
        auto owner = owner_of(name, netns_prefix);
        if (owner > 0 && !process_alive(owner)) {
            std::cerr << "cluster: deleting " << name << ", left by a dead test\n";
            kill_inside(name);
            (void)run_ip({"netns", "del", name});
        }
    }
    auto links =
        run_program(ip_path(), {"-o", "link", "show", "type", "bridge"}, std::chrono::seconds(10));
    std::istringstream bridges(links.out);
    for (std::string line; std::getline(bridges, line);) {
        auto colon = line.find(": ");  // "7: skcl1234: <BROADCAST,..."
        if (colon == std::string::npos) {
            continue;
        }
        auto name = line.substr(colon + 2, line.find(':', colon + 2) - colon - 2);
        auto owner = owner_of(name, bridge_prefix);
        if (owner > 0 && !process_alive(owner)) {
            std::cerr << "cluster: deleting bridge " << name << ", left by a dead test\n";
            (void)run_ip({"link", "del", name});
        }
    }
}

}  // namespace

std::string host_fabric::ip_path() {
    return testing::ip_path();
}

bus::result<std::unique_ptr<host_fabric>> host_fabric::create(std::vector<std::string> names) {
    if (ip_path().empty()) {
        return bus::error{bus::errc::unavailable,
                          "iproute2's `ip` is not installed (scripts/deps.sh installs it)"};
    }
    delete_orphans();
    const auto pid = ::getpid();
    std::unique_ptr<host_fabric> fabric(new host_fabric());
    fabric->bridge_ = std::string(bridge_prefix) + std::to_string(pid);  // 15 bytes at most
    fabric->subnet_ =
        "10." + std::to_string(232 + ((pid >> 8) & 7)) + "." + std::to_string(pid & 0xff) + ".";
    fabric->bridge_address_ = fabric->subnet_ + "1";
    if (auto failed = run_ip({"link", "add", fabric->bridge_, "type", "bridge"})) {
        return bus::error{bus::errc::unavailable, "cannot create a bridge: " + *failed};
    }
    fabric->bridge_made_ = true;
    for (const std::vector<std::string>& step :
         {std::vector<std::string>{"addr", "add", fabric->bridge_address_ + "/24", "dev",
                                   fabric->bridge_},
          std::vector<std::string>{"link", "set", fabric->bridge_, "up"}}) {
        if (auto failed = run_ip(step)) {
            return bus::error{bus::errc::unavailable, "cannot set up the bridge: " + *failed};
        }
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (auto failed = fabric->add_host(names[i], static_cast<int>(i))) {
            return bus::error{bus::errc::unavailable,
                              "cannot make host " + names[i] + ": " + *failed};
        }
    }
    return fabric;
}

std::optional<std::string> host_fabric::add_host(const std::string& name, int index) {
    auto& h = hosts_.emplace_back();
    h.name = name;
    h.netns = std::string(netns_prefix) + std::to_string(::getpid()) + "-" + name;
    h.link = bridge_ + std::to_string(index);  // ours; "eth0" in the namespace
    h.address = subnet_ + std::to_string(10 + index);
    if (auto failed = run_ip({"netns", "add", h.netns})) {
        return failed;
    }
    h.made = true;
    const std::vector<std::vector<std::string>> steps{
        {"link", "add", h.link, "type", "veth", "peer", "name", "eth0", "netns", h.netns},
        {"link", "set", h.link, "master", bridge_, "up"},
        {"-n", h.netns, "addr", "add", h.address + "/24", "dev", "eth0"},
        {"-n", h.netns, "link", "set", "eth0", "up"},
        {"-n", h.netns, "link", "set", "lo", "up"},
    };
    for (const auto& step : steps) {
        if (auto failed = run_ip(step)) {
            return failed;
        }
    }
    return std::nullopt;
}

host_fabric::~host_fabric() {
    // A namespace's veth end goes with it, and takes its peer (ours) along.
    for (const auto& h : hosts_) {
        if (h.made) {
            kill_inside(h.netns);  // nothing, unless the test forgot one
            if (auto failed = run_ip({"netns", "del", h.netns})) {
                std::cerr << "cluster: " << *failed << "\n";
            }
        }
    }
    if (bridge_made_) {
        if (auto failed = run_ip({"link", "del", bridge_})) {
            std::cerr << "cluster: " << *failed << "\n";
        }
    }
}

std::optional<std::string> host_fabric::enter(int host) const {
    const auto path = "/run/netns/" + namespace_name(host);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return "cannot open " + path + ": " + std::strerror(errno);
    }
    const int entered = ::setns(fd, CLONE_NEWNET);
    const int error = errno;
    ::close(fd);
    if (entered != 0) {
        return "cannot enter " + path + ": " + std::strerror(error);
    }
    return std::nullopt;
}

std::vector<pid_t> host_fabric::processes(int host) const {
    return processes_in(namespace_name(host));
}

std::pair<std::string, std::vector<std::string>> host_fabric::exec(
    int host, const std::string& program, std::vector<std::string> args) const {
    std::vector<std::string> all{
        "netns", "exec", namespace_name(host),
        program.find('/') == std::string::npos ? (bin_dir() / program).string() : program};
    all.insert(all.end(), args.begin(), args.end());
    return {ip_path(), std::move(all)};
}

std::optional<std::string> host_fabric::link_down(int host) {
    return run_ip({"-n", namespace_name(host), "link", "set", "eth0", "down"});
}

std::optional<std::string> host_fabric::link_up(int host) {
    return run_ip({"-n", namespace_name(host), "link", "set", "eth0", "up"});
}

std::optional<std::string> host_fabric::partition(const std::vector<int>& one,
                                                  const std::vector<int>& other) {
    auto cut = [&](int from, int to) -> std::optional<std::string> {
        auto failed =
            run_ip({"-n", namespace_name(from), "route", "add", "blackhole", address(to) + "/32"});
        if (!failed) {
            routes_.emplace_back(from, address(to));
        }
        return failed;
    };
    for (int a : one) {
        for (int b : other) {
            if (auto failed = cut(a, b)) {
                return failed;
            }
            if (auto failed = cut(b, a)) {
                return failed;
            }
        }
    }
    return std::nullopt;
}

std::optional<std::string> host_fabric::heal() {
    std::optional<std::string> first_failure;
    for (const auto& [host, to] : routes_) {
        auto failed = run_ip({"-n", namespace_name(host), "route", "del", "blackhole", to + "/32"});
        if (failed && !first_failure) {
            first_failure = failed;
        }
    }
    routes_.clear();
    return first_failure;
}

}  // namespace skynet::testing

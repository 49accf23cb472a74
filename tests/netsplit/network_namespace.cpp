#include "network_namespace.hpp"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "support/ip_command.hpp"
#include "support/process.hpp"

namespace skynet::testing {

namespace {

constexpr std::string_view name_prefix = "skynet-netsplit-";

// A test killed by its timeout (SIGKILL) runs no destructor: its namespace
// and pair stay behind. The next test deletes those whose owner is gone.
void delete_orphans() {
    auto list = run_program(testing::ip_path(), {"netns", "list"}, std::chrono::seconds(10));
    std::istringstream lines(list.out);
    std::string name;
    for (std::string line; std::getline(lines, line);) {
        name = line.substr(0, line.find(' '));  // "name (id: 3)"
        if (!name.starts_with(name_prefix)) {
            continue;
        }
        pid_t owner = 0;
        try {
            owner = std::stoi(name.substr(name_prefix.size()));
        } catch (const std::exception&) {
            continue;
        }
        if (owner > 0 && !process_alive(owner)) {
            std::cerr << "netsplit: deleting " << name << ", left by a dead test\n";
            (void)run_ip({"link", "del", "skh" + std::to_string(owner)});
            (void)run_ip({"netns", "del", name});
        }
    }
}

}  // namespace

std::string network_namespace::ip_path() {
    return testing::ip_path();
}

bus::result<std::unique_ptr<network_namespace>> network_namespace::create() {
    if (ip_path().empty()) {
        return bus::error{bus::errc::unavailable,
                          "iproute2's `ip` is not installed (scripts/deps.sh installs it)"};
    }
    delete_orphans();
    const auto pid = ::getpid();
    std::unique_ptr<network_namespace> ns(new network_namespace());
    ns->name_ = std::string(name_prefix) + std::to_string(pid);
    ns->host_link_ = "skh" + std::to_string(pid);  // interface names: 15 bytes at most
    ns->guest_link_ = "skg" + std::to_string(pid);
    // One /30 per pid (modulo 2^14), inside 10.231.0.0/16.
    const auto third = std::to_string((pid >> 6) & 0xff);
    const auto base = (pid & 63) * 4;
    ns->host_address_ = "10.231." + third + "." + std::to_string(base + 1);
    ns->guest_address_ = "10.231." + third + "." + std::to_string(base + 2);

    if (auto failed = run_ip({"netns", "add", ns->name_})) {
        return bus::error{bus::errc::unavailable, "cannot create a network namespace: " + *failed};
    }
    ns->namespace_made_ = true;
    if (auto failed = run_ip({"link", "add", ns->host_link_, "type", "veth", "peer", "name",
                              ns->guest_link_, "netns", ns->name_})) {
        return bus::error{bus::errc::unavailable, "cannot create a veth pair: " + *failed};
    }
    ns->link_made_ = true;
    const std::vector<std::vector<std::string>> steps{
        {"addr", "add", ns->host_address_ + "/30", "dev", ns->host_link_},
        {"link", "set", ns->host_link_, "up"},
        {"-n", ns->name_, "addr", "add", ns->guest_address_ + "/30", "dev", ns->guest_link_},
        {"-n", ns->name_, "link", "set", ns->guest_link_, "up"},
        {"-n", ns->name_, "link", "set", "lo", "up"},
    };
    for (const auto& step : steps) {
        if (auto failed = run_ip(step)) {
            return bus::error{bus::errc::unavailable, "cannot set up the link: " + *failed};
        }
    }
    return ns;
}

network_namespace::~network_namespace() {
    // Deleting one end of a veth pair deletes both; the namespace goes once
    // its last process has.
    if (link_made_) {
        if (auto failed = run_ip({"link", "del", host_link_})) {
            std::cerr << "netsplit: " << *failed << "\n";
        }
    }
    if (namespace_made_) {
        if (auto failed = run_ip({"netns", "del", name_})) {
            std::cerr << "netsplit: " << *failed << "\n";
        }
    }
}

std::pair<std::string, std::vector<std::string>> network_namespace::exec(
    const std::string& binary, std::vector<std::string> args) const {
    std::vector<std::string> all{"netns", "exec", name_, (bin_dir() / binary).string()};
    all.insert(all.end(), args.begin(), args.end());
    return {ip_path(), std::move(all)};
}

std::optional<std::string> network_namespace::cut() {
    return run_ip({"-n", name_, "link", "set", guest_link_, "down"});
}

std::optional<std::string> network_namespace::restore() {
    return run_ip({"-n", name_, "link", "set", guest_link_, "up"});
}

}  // namespace skynet::testing

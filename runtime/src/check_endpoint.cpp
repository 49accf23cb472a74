#include "skynet/runtime/check_endpoint.hpp"

#include <charconv>
#include <stdexcept>

namespace skynet::runtime {

namespace {

constexpr std::string_view expected = "expected tcp://host:port, ipc://path or inproc://name";

std::optional<std::string> port_problem(std::string_view port, endpoint_use use) {
    if (use == endpoint_use::bind && (port == "*" || port == "!")) {
        return std::nullopt;  // ZeroMQ picks a free port
    }
    int n = 0;
    const auto* end = port.data() + port.size();
    const auto [at, ec] = std::from_chars(port.data(), end, n);
    if (port.empty() || ec != std::errc{} || at != end || n < 1 || n > 65535) {
        return "port \"" + std::string(port) + "\" is not a number from 1 to 65535";
    }
    return std::nullopt;
}

std::optional<std::string> tcp_problem(std::string_view rest, endpoint_use use) {
    const auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) {
        return std::string("no port (expected tcp://host:port)");
    }
    const auto host = rest.substr(0, colon);
    if (host.empty() || host == "[]") {
        return std::string("no host (expected tcp://host:port)");
    }
    return port_problem(rest.substr(colon + 1), use);
}

}  // namespace

std::optional<std::string> endpoint_problem(std::string_view value, endpoint_use use) {
    for (const std::string_view scheme : {"ipc://", "inproc://"}) {
        if (value.starts_with(scheme)) {
            if (value.size() == scheme.size()) {
                return "nothing after " + std::string(scheme);
            }
            return std::nullopt;
        }
    }
    if (value.starts_with("tcp://")) {
        return tcp_problem(value.substr(6), use);
    }
    return "not an endpoint (" + std::string(expected) + ")";
}

void check_endpoint(std::string_view option, std::string_view value, endpoint_use use) {
    if (auto problem = endpoint_problem(value, use)) {
        throw std::invalid_argument(
            std::string(option) + ": \"" + std::string(value) + "\" is " +
            (problem->starts_with("not an endpoint") ? "" : "not usable: ") + *problem);
    }
}

}  // namespace skynet::runtime

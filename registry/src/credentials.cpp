#include "skynet/registry/credentials.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "skynet/registry/connection.hpp"

namespace skynet::registry {

void refuse_wrong_credentials(const options& settings, std::string_view who) {
    if (settings.redis.password.empty()) {
        return;
    }
    // Short: a Redis that is down or far away must not hold up a start.
    options probe = settings;
    probe.connect_timeout = std::min(settings.connect_timeout, std::chrono::milliseconds(1000));
    probe.command_timeout = std::min(settings.command_timeout, std::chrono::milliseconds(1000));
    auto opened = connection::open(probe);
    if (!opened && opened.err().code == bus::errc::unauthorized) {
        throw std::invalid_argument(std::string(who) + ": redis refused the user and password of " +
                                    "--redis (" + opened.err().detail + ")");
    }
}

}  // namespace skynet::registry

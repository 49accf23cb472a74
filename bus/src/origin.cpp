#include "skynet/bus/origin.hpp"

#include <unistd.h>

#include "skynet/bus/options.hpp"

namespace skynet::bus {

std::string make_origin(std::string_view name) {
    return local_host_name() + "/" + std::to_string(getpid()) + "/" + std::string(name);
}

}  // namespace skynet::bus

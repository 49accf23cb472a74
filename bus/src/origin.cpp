#include "skynet/bus/origin.hpp"

#include <unistd.h>

namespace skynet::bus {

std::string make_origin(std::string_view name) {
    return local_host_name() + "/" + std::to_string(getpid()) + "/" + std::string(name);
}

std::string local_host_name() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') {
        return "localhost";
    }
    return name;
}

}  // namespace skynet::bus

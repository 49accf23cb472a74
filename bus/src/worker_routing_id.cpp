#include "skynet/bus/worker_routing_id.hpp"

#include <charconv>

namespace skynet::bus {

namespace {

// A whole decimal field, nothing before or after it.
bool read_number(std::string_view text, std::uint32_t& out) noexcept {
    if (text.empty()) {
        return false;
    }
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

}  // namespace

std::string make_worker_routing_id(std::string_view instance_id, std::uint32_t connection,
                                   std::uint32_t epoch) {
    std::string id(instance_id);
    id.append("/").append(std::to_string(connection));
    return id.append("/").append(std::to_string(epoch));
}

result<worker_routing_id> parse_worker_routing_id(std::string_view text) noexcept {
    const auto last = text.rfind('/');
    const auto middle = last == std::string_view::npos || last == 0 ? std::string_view::npos
                                                                    : text.rfind('/', last - 1);
    if (middle == std::string_view::npos || middle == 0) {
        return error{errc::bad_request, "not <instance id>/<connection>/<epoch>"};
    }
    worker_routing_id id;
    id.instance_id = text.substr(0, middle);
    if (id.instance_id.find('/') != std::string_view::npos ||
        !read_number(text.substr(middle + 1, last - middle - 1), id.connection) ||
        !read_number(text.substr(last + 1), id.epoch)) {
        return error{errc::bad_request, "routing id fields are not <id>/<number>/<number>"};
    }
    return id;
}

}  // namespace skynet::bus

#include "skynet/bus/service_name.hpp"

namespace skynet::bus {

service_name_parts split_service_name(std::string_view text) noexcept {
    const auto at = text.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == text.size()) {
        return {text, {}};
    }
    return {text.substr(0, at), text.substr(at + 1)};
}

service_name service_name::parse(std::string_view text) {
    const auto parts = split_service_name(text);
    return service_name(std::string(parts.name), std::string(parts.version));
}

std::string service_name::to_string() const {
    return join_service_name(name_, version_);
}

std::string join_service_name(std::string_view name, std::string_view version) {
    std::string joined;
    joined.reserve(name.size() + 1 + version.size());
    joined.append(name);
    if (!version.empty()) {
        joined.append("@").append(version);
    }
    return joined;
}

}  // namespace skynet::bus

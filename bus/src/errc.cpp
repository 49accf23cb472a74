#include "skynet/bus/errc.hpp"

namespace skynet::bus {

std::string_view to_string(errc code) noexcept {
    switch (code) {
        case errc::ok:
            return "OK";
        case errc::bad_request:
            return "BAD_REQUEST";
        case errc::unknown_service:
            return "UNKNOWN_SERVICE";
        case errc::unknown_method:
            return "UNKNOWN_METHOD";
        case errc::timeout:
            return "TIMEOUT";
        case errc::unavailable:
            return "UNAVAILABLE";
        case errc::worker_lost:
            return "WORKER_LOST";
        case errc::overloaded:
            return "OVERLOADED";
        case errc::service_error:
            return "SERVICE_ERROR";
        case errc::unauthorized:
            return "UNAUTHORIZED";
        case errc::cancelled:
            return "CANCELLED";
    }
    return "UNKNOWN_CODE";
}

std::optional<errc> errc_from_int(std::int32_t value) noexcept {
    if (value < 0 || value > errc_max) {
        return std::nullopt;
    }
    return static_cast<errc>(value);
}

}  // namespace skynet::bus

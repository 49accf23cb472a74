#include "skynet/security/zap_request.hpp"

namespace skynet::security {
namespace {
constexpr std::size_t curve_key_size = 32;
constexpr std::string_view zap_version = "1.0";
}  // namespace

bus::result<zap_request> decode_zap_request(std::span<const zmq::message_t> frames) noexcept {
    // Delimiter, version, id, domain, address, identity, mechanism.
    constexpr std::size_t fixed = 7;
    if (frames.size() < fixed || frames[0].size() != 0) {
        return bus::error{bus::errc::bad_request, "ZAP request: frames missing"};
    }
    if (bus::view_of(frames[1]) != zap_version) {
        return bus::error{bus::errc::bad_request, "ZAP request: version is not 1.0"};
    }
    zap_request request;
    request.request_id = bus::view_of(frames[2]);
    request.domain = bus::view_of(frames[3]);
    request.address = bus::view_of(frames[4]);
    request.mechanism = bus::view_of(frames[6]);
    const auto credentials = frames.subspan(fixed);
    if (request.mechanism == "CURVE") {
        if (credentials.size() != 1 || credentials[0].size() != curve_key_size) {
            return bus::error{bus::errc::bad_request, "ZAP request: CURVE key malformed"};
        }
        request.client_key = bus::view_of(credentials[0]);
    }
    return request;
}

bus::frames encode_zap_reply(std::string_view request_id, std::string_view status_code,
                             std::string_view status_text, std::string_view user_id) {
    bus::frames reply;
    reply.reserve(7);
    reply.emplace_back();
    reply.push_back(bus::frame_of(zap_version));
    reply.push_back(bus::frame_of(request_id));
    reply.push_back(bus::frame_of(status_code));
    reply.push_back(bus::frame_of(status_text));
    reply.push_back(bus::frame_of(user_id));
    reply.emplace_back();
    return reply;
}

}  // namespace skynet::security

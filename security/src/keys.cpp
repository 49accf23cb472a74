#include "skynet/security/keys.hpp"

#include <zmq.h>

#include <array>
#include <cstdint>

namespace skynet::security {

key_pair generate_key_pair() {
    std::array<char, 41> public_key{};
    std::array<char, 41> secret_key{};
    if (zmq_curve_keypair(public_key.data(), secret_key.data()) != 0) {
        throw key_error("cannot make a CURVE key pair: libzmq was built without CURVE");
    }
    return {std::string(public_key.data(), 40), std::string(secret_key.data(), 40)};
}

bool is_z85_key(std::string_view z85) noexcept {
    if (z85.size() != 40) {
        return false;
    }
    std::array<char, 41> text{};
    z85.copy(text.data(), 40);
    std::array<std::uint8_t, 32> binary{};
    return zmq_z85_decode(binary.data(), text.data()) != nullptr;
}

std::string public_key_of(const std::string& secret_key) {
    std::array<char, 41> public_key{};
    if (!is_z85_key(secret_key) || zmq_curve_public(public_key.data(), secret_key.c_str()) != 0) {
        throw key_error("not a CURVE secret key (40 characters of Z85 expected)");
    }
    return std::string(public_key.data(), 40);
}

std::string fingerprint(std::string_view public_key) {
    return std::string(public_key.substr(0, 8));
}

}  // namespace skynet::security

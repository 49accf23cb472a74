#include "skynet/bus/traceparent.hpp"

#include <cstdint>
#include <random>

namespace skynet::bus {
namespace {

bool lower_hex(std::string_view s) noexcept {
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

bool all_zero(std::string_view s) noexcept {
    return s.find_first_not_of('0') == std::string_view::npos;
}

std::mt19937_64& generator() {
    thread_local std::mt19937_64 gen = [] {
        std::random_device device;
        std::seed_seq seed{device(), device(), device(), device(), device(), device()};
        return std::mt19937_64(seed);
    }();
    return gen;
}

void put_hex(std::string& out, std::uint64_t v, int digits) {
    static constexpr char hex[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; --i) {
        out.push_back(hex[(v >> (4 * i)) & 0xf]);
    }
}

}  // namespace

bool is_valid_traceparent(std::string_view t) noexcept {
    if (t.size() != 55 || t[2] != '-' || t[35] != '-' || t[52] != '-') {
        return false;
    }
    const auto version = t.substr(0, 2);
    const auto trace_id = t.substr(3, 32);
    const auto parent_id = t.substr(36, 16);
    const auto flags = t.substr(53, 2);
    return version == "00" && lower_hex(trace_id) && lower_hex(parent_id) && lower_hex(flags) &&
           !all_zero(trace_id) && !all_zero(parent_id);
}

std::string new_traceparent() {
    auto& gen = generator();
    std::uint64_t hi = 0, lo = 0, span = 0;
    while ((hi | lo) == 0) {
        hi = gen();
        lo = gen();
    }
    while (span == 0) {
        span = gen();
    }
    std::string out;
    out.reserve(55);
    out += "00-";
    put_hex(out, hi, 16);
    put_hex(out, lo, 16);
    out += '-';
    put_hex(out, span, 16);
    out += "-01";
    return out;
}

}  // namespace skynet::bus

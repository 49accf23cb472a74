// Fuzz target: the access rules parser (skynet::security::access_rules) on
// arbitrary text. It must parse or throw access_rules_error naming a line
// within the text, never crash, and rules that parsed must answer checks
// on names made of the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "skynet/security/access_rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using skynet::security::access_rules;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::size_t lines = 1;
    for (char c : text) {
        lines += c == '\n' ? 1 : 0;
    }
    try {
        auto rules = access_rules::parse(text);
        if (rules.size() > lines) {
            std::abort();  // more rules than lines
        }
        // Names cut from the input itself reach the patterns' own bytes.
        const auto half = text.substr(0, size / 2);
        const auto rest = text.substr(size / 2);
        (void)rules.may_call(half, rest);
        (void)rules.may_offer(rest, half);
        (void)rules.may_call("ops", "billing@2.1");
        (void)rules.may_offer("billing-worker", "billing");
    } catch (const skynet::security::access_rules_error& e) {
        if (e.line() == 0 || e.line() > lines) {
            std::abort();  // a fault must name a line of the text
        }
    }
    return 0;
}

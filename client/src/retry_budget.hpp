#pragma once
// The retry budget: retries cannot multiply an outage. It starts full, at
// `size` retries; each success earns `refill` of a retry, up to `size`;
// each retry charged to it spends one (client_options::retry_budget and
// retry_refill say the same to users). And the backoff before a retry:
// exponential, with full jitter.

#include <algorithm>
#include <cstdint>
#include <random>

#include "skynet/bus/clock.hpp"

namespace skynet::client_detail {

class retry_budget {
public:
    retry_budget(double size, double refill, std::uint32_t seed)
        : max_tokens_(size), per_success_(refill), tokens_(size), jitter_(seed) {}

    // Takes one retry from the budget; false if none is left.
    bool spend() noexcept {
        if (tokens_ < 1) {
            return false;
        }
        tokens_ -= 1;
        return true;
    }
    bool can_spend() const noexcept { return tokens_ >= 1; }
    void earn() noexcept { tokens_ = std::min(max_tokens_, tokens_ + per_success_); }
    // How long to wait before attempt number `attempts` + 1.
    bus::milliseconds backoff(int attempts) {
        const auto ceiling = std::min(cap, base * (1 << std::min(attempts, 7)));
        std::uniform_int_distribution<std::int64_t> pick(0, ceiling.count());
        return bus::milliseconds(pick(jitter_));
    }

private:
    static constexpr bus::milliseconds base{10};
    static constexpr bus::milliseconds cap{1000};
    double max_tokens_;
    double per_success_;
    double tokens_;
    std::minstd_rand jitter_;
};

}  // namespace skynet::client_detail

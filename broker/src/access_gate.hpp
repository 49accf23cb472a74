#pragma once
// The broker's access control (docs/security.md) on its own thread: the
// broker_access in force, the checks each message passes, and the counting
// and rate-limited logging of what they refuse. Off (no broker_access), a
// check is one branch.

#include <spdlog/logger.h>

#include <cstdint>
#include <memory>
#include <string_view>

#include "counters.hpp"
#include "skynet/broker/broker_access.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/bus/message.hpp"
#include "skynet/runtime/logging.hpp"

namespace skynet::broker_detail {

class access_gate {
public:
    access_gate(std::shared_ptr<const broker_access> access, counters& stats);

    bool enforcing() const noexcept { return access_ != nullptr; }
    // Moves on with each replace(): a worker checked under an older one is
    // checked again at its next message.
    std::uint64_t generation() const noexcept { return generation_; }
    void replace(std::shared_ptr<const broker_access> access);

    // The key name the peer of `message` (identity, then its frames)
    // authenticated with: its User-Id, set by the ZAP handler; empty without
    // one. Valid while `message` lives. Allocates nothing.
    static std::string_view key_of(const bus::frames& message) noexcept;

    // Checks under the access in force; true when not enforcing.
    bool may_call(std::string_view key, std::string_view service) const noexcept;
    bool may_offer(std::string_view key, std::string_view service) const noexcept;

    // Counted, and logged at most once a second, with the key's name only.
    void refused_call(std::string_view key, std::string_view service, bus::time_point now);
    void refused_offer(std::string_view key, std::string_view service, bus::time_point now);

private:
    bool known(std::string_view key) const noexcept;

    std::shared_ptr<const broker_access> access_;
    std::uint64_t generation_ = 0;
    counters& stats_;
    std::shared_ptr<spdlog::logger> log_;
    runtime::log_limiter call_log_;
    runtime::log_limiter offer_log_;
};

}  // namespace skynet::broker_detail

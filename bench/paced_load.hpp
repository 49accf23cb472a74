#pragma once
// A steady load for the failover figure: one client of ours making calls at
// a fixed rate (not as fast as it can, so that the sentinels and Redis keep
// their share of the machine), counting every outcome.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "skynet/bus/errc.hpp"
#include "skynet/client/client.hpp"

namespace skynet::bench {

// Every call's outcome, by code, and those with none by the end.
struct paced_tally {
    std::array<std::uint64_t, bus::errc_max + 1> outcomes{};
    std::uint64_t unanswered = 0;
    std::uint64_t sent = 0;
    // When the first and last failed calls were made, and the last ended
    // (steady clock); unset if none failed.
    std::optional<std::chrono::steady_clock::time_point> first_failed_sent;
    std::optional<std::chrono::steady_clock::time_point> last_failed_sent;
    std::optional<std::chrono::steady_clock::time_point> last_failed_end;

    std::uint64_t ok() const noexcept { return outcomes[0]; }
    std::uint64_t failed() const noexcept;
    // "TIMEOUT=3 UNAVAILABLE=1", or "none".
    std::string failures() const;
};

class paced_load {
public:
    // Starts calling `service`'s echo at `rate` calls a second.
    paced_load(client_options client, call_options call, const std::string& service, int rate);
    // stop(), if not done yet.
    ~paced_load();
    paced_load(const paced_load&) = delete;
    paced_load& operator=(const paced_load&) = delete;

    // OK replies so far.
    std::uint64_t ok() const noexcept { return shared_->outcomes[0].load(); }
    // Stops calling; stop() then drains.
    void halt() noexcept { stopping_ = true; }
    // Stops calling, waits up to `drain` for the calls still out, and
    // returns the tally; calls still out then count as unanswered.
    paced_tally stop(std::chrono::milliseconds drain);

private:
    struct shared_state {
        std::array<std::atomic<std::uint64_t>, bus::errc_max + 1> outcomes{};
        std::atomic<std::uint64_t> outstanding{0};
        std::atomic<bool> closed{false};  // outcomes after stop() are not counted
        std::mutex mutex;                 // for the failure times
        paced_tally failures;             // only its times, guarded by mutex
        void failed(std::chrono::steady_clock::time_point sent);
    };
    void pace(int rate);

    std::shared_ptr<shared_state> shared_ = std::make_shared<shared_state>();
    std::unique_ptr<client> client_;
    call_options call_;
    std::string service_;
    bus::bson_doc params_;
    std::atomic<bool> stopping_{false};
    std::uint64_t sent_ = 0;  // touched by the pacing thread, read after it ends
    std::thread thread_;
    bool stopped_ = false;
    paced_tally tally_;
};

}  // namespace skynet::bench

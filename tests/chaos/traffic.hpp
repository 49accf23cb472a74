#pragma once
// The chaos test's callers: several clients, each on its own thread, keeping
// a window of asynchronous calls in flight at a steady pace, half of them
// idempotent. Every call has a unique key ("k<lane>.<seq>") that the worker
// logs and echoes, and every outcome is recorded against it, so that the test
// can tell a missing outcome, a second outcome and a reply meant for another
// call apart.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "skynet/client/client.hpp"

namespace skynet::testing::chaos {

inline constexpr auto idempotent_timeout = std::chrono::seconds(20);
inline constexpr auto plain_timeout = std::chrono::seconds(10);

// What happened to one call. Written by the client's thread, read once the
// traffic has stopped.
struct call_record {
    bool idempotent = false;
    std::uint8_t outcomes = 0;  // callbacks run: exactly 1 is right
    bus::errc code = bus::errc::ok;
    bool wrong_reply = false;  // an OK reply that echoed another key
    // Milliseconds since the traffic began: when the call started, and when
    // its (last) outcome came. For finding the chaos step behind an anomaly.
    std::uint32_t sent_ms = 0;
    std::uint32_t ended_ms = 0;
    std::string error;  // an error's detail: which part of the bus gave up, and why
};

struct traffic_settings {
    int lanes = 4;            // clients; even lanes discover brokers, odd ones are told
    int window = 8;           // calls in flight per client
    int rate_per_lane = 400;  // calls started per second per client, at most
};

// One client and its calls.
class lane {
public:
    lane(int index, client_options options, const traffic_settings& settings,
         std::chrono::steady_clock::time_point epoch);
    ~lane();  // stops, ends the client (what still runs gets UNAVAILABLE)
    lane(const lane&) = delete;
    lane& operator=(const lane&) = delete;

    void stop();  // no new calls; joins the sending thread
    std::size_t pending() const noexcept { return pending_.load(); }
    // The records, by seq. Call after stop(), once pending() is 0 (or given up).
    std::vector<call_record> records() const;
    client_stats stats() const { return client_->stats(); }
    int index() const noexcept { return index_; }

private:
    void run();
    void send(std::uint64_t seq, bool idempotent, std::int64_t ms);
    void record(std::uint64_t seq, const call_result& outcome);
    std::uint32_t now_ms() const;

    const int index_;
    const traffic_settings settings_;
    const std::chrono::steady_clock::time_point epoch_;
    mutable std::mutex mutex_;
    std::deque<call_record> records_;  // guarded by mutex_; by seq
    std::atomic<std::size_t> pending_{0};
    std::atomic<bool> stopping_{false};
    std::unique_ptr<client> client_;  // after what its callbacks touch
    std::thread thread_;
};

// Every lane: starts them against the cluster's brokers.
class traffic {
public:
    // `epoch`: time zero of the records' sent_ms and ended_ms.
    traffic(const std::string& redis_url, const std::vector<std::string>& brokers,
            std::chrono::steady_clock::time_point epoch, const traffic_settings& settings = {});
    void stop();
    // Waits until every call has its outcome, up to `limit`; false if some
    // are still silent then.
    bool settle(std::chrono::milliseconds limit);
    std::size_t pending() const;
    const std::vector<std::unique_ptr<lane>>& lanes() const noexcept { return lanes_; }

private:
    std::vector<std::unique_ptr<lane>> lanes_;
};

// "k<lane>.<seq>", and back: false for anything else.
std::string key_of(int lane, std::uint64_t seq);
bool parse_key(std::string_view key, int& lane, std::uint64_t& seq);

}  // namespace skynet::testing::chaos

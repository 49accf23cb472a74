#pragma once
// A browser's event stream, for tests: GET /api/events (or any stream) on a
// thread of its own with httplib's client, each server-sent event parsed and
// kept, so that a test can wait for the one it expects.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace skynet::testing {

struct sse_event {
    std::uint64_t id = 0;  // 0: no id line
    std::string event;
    std::string data;
    nlohmann::json json() const { return nlohmann::json::parse(data, nullptr, false); }
};

class sse_reader {
public:
    // Connects at once; `last_event_id` is sent as Last-Event-ID.
    sse_reader(int port, std::string path = "/api/events",
               std::optional<std::uint64_t> last_event_id = std::nullopt);
    // Closes the connection (at the next bytes the server sends) and joins.
    ~sse_reader();
    sse_reader(const sse_reader&) = delete;
    sse_reader& operator=(const sse_reader&) = delete;

    std::vector<sse_event> events() const;
    // How many ": ping" comments arrived.
    int pings() const;
    // The HTTP status, once the headers came (0 before, -1 if it failed).
    int status() const { return status_.load(); }
    // The response body when it was not a stream (an error's JSON).
    std::string error_body() const;
    bool ended() const { return ended_.load(); }

    // Waits for the first event after `from` (an index into events()) for
    // which `match` holds; its index.
    template <class Match>
    std::optional<std::size_t> wait_for(Match&& match, std::size_t from = 0,
                                        std::chrono::milliseconds limit = std::chrono::seconds(15));

private:
    void on_bytes(const char* data, std::size_t size);

    std::atomic<bool> stopping_{false};
    std::atomic<bool> ended_{false};
    std::atomic<int> status_{0};
    mutable std::mutex mutex_;  // guards what follows
    std::string pending_;
    std::string body_;
    std::vector<sse_event> events_;
    int pings_ = 0;
    std::thread thread_;
};

template <class Match>
std::optional<std::size_t> sse_reader::wait_for(Match&& match, std::size_t from,
                                                std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
        {
            std::lock_guard lock(mutex_);
            for (std::size_t i = from; i < events_.size(); ++i) {
                if (match(events_[i])) {
                    return i;
                }
            }
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace skynet::testing

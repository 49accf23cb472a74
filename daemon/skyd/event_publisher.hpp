#pragma once
// skyd's events on Redis: each event the daemon records is published on
// `<prefix>daemon-events` as one line of JSON (docs/dashboard.md):
//   {"time_ms","daemon","host","region","process","service","kind","text"}
// so that the dashboard shows restarts and crash loops as they happen.
//
// post() never blocks supervision: it puts the event in a bounded queue that
// a thread of its own publishes; when the queue is full (Redis slow or down)
// the event is dropped and counted.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "skynet/registry/redis_url.hpp"

namespace skynet::daemon {

struct published_event {
    std::int64_t time_ms = 0;
    std::string process;  // the managed process's id
    std::string service;
    std::string kind;  // "started", "exited", "restarting", "crash-looping", ...
    std::string text;
};

class event_publisher {
public:
    static constexpr std::size_t queue_limit = 1000;

    // Starts the publishing thread. Throws std::system_error if it cannot.
    event_publisher(registry::options redis, std::string daemon_id, std::string host,
                    std::string region);
    // Publishes what is queued (each at most a command timeout), then joins.
    ~event_publisher();
    event_publisher(const event_publisher&) = delete;
    event_publisher& operator=(const event_publisher&) = delete;

    // Any thread; never blocks on Redis. False if the event was dropped.
    bool post(published_event event);
    // Events dropped because the queue was full or Redis refused them.
    std::uint64_t dropped() const;

    // The JSON line for `event` from this daemon.
    std::string to_json(const published_event& event) const;

private:
    void run();

    const registry::options redis_;
    const std::string daemon_id_, host_, region_;
    mutable std::mutex mutex_;  // guards what follows
    std::condition_variable wake_;
    std::deque<published_event> queue_;
    std::uint64_t dropped_ = 0;
    bool stopping_ = false;
    std::thread thread_;  // last: starts once everything above exists
};

}  // namespace skynet::daemon

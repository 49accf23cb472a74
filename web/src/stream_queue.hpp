#pragma once
// One open event stream: the messages waiting for its browser, bounded. The
// model's side pushes and never waits; the stream's HTTP thread takes. A
// push past the bound closes the stream instead of waiting for the browser:
// it reconnects and resynchronises.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace skynet::web {

class stream_queue {
public:
    explicit stream_queue(std::size_t limit) : limit_(limit) {}

    // Any thread, never blocks long. False (and the stream is closed) when
    // it already holds `limit` messages, or was closed.
    bool push(std::string message);
    // Waits up to `limit` for messages and takes them all. `closed` once the
    // stream is closed and nothing is left.
    struct batch {
        std::vector<std::string> messages;
        bool closed = false;
    };
    batch take(std::chrono::milliseconds limit);
    // Any thread: the stream ends once what it holds is taken.
    void close();
    // Closed because it fell behind (not by the server stopping).
    bool overflowed() const;

private:
    const std::size_t limit_;
    mutable std::mutex mutex_;  // guards what follows
    std::condition_variable ready_;
    std::deque<std::string> messages_;
    bool closed_ = false;
    bool overflowed_ = false;
};

// "id: N\nevent: E\ndata: D\n\n" (no id line when id is 0). `data` holds
// no newline (compact JSON).
std::string sse_message(std::uint64_t id, std::string_view event, std::string_view data);

}  // namespace skynet::web

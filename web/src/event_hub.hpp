#pragma once
// The event streams' hub: it numbers every delta the model publishes (ids
// increase by one from 1), keeps the last ones for browsers that come back
// with Last-Event-ID, fans them out to the open streams, and counts the
// streams against their limit.
//
// Thread-safe. The model publishes under its own lock, and attaches a stream
// under it too (model lock, then hub lock), so that a snapshot and the
// deltas after it never miss or repeat a change.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "stream_queue.hpp"

namespace skynet::web {

class event_hub;

// A stream's slot: counted while it lives, and detached from the deltas
// when it goes. Made by event_hub::open().
class stream_slot {
public:
    stream_slot(event_hub& hub, std::shared_ptr<stream_queue> queue)
        : hub_(hub), queue_(std::move(queue)) {}
    ~stream_slot();
    stream_slot(const stream_slot&) = delete;
    stream_slot& operator=(const stream_slot&) = delete;

    stream_queue& queue() { return *queue_; }
    const std::shared_ptr<stream_queue>& shared() const { return queue_; }

private:
    event_hub& hub_;
    std::shared_ptr<stream_queue> queue_;
};

class event_hub {
public:
    event_hub(std::size_t max_streams, std::size_t queue_limit, std::size_t replay);

    // A new stream's slot, or nullptr when `max_streams` are open (503).
    std::unique_ptr<stream_slot> open();

    // Numbers `data` as event `event` and sends it to every attached stream.
    // Returns its id. A stream that cannot take it is closed.
    std::uint64_t publish(std::string_view event, std::string_view data);

    // Attaches the stream to the deltas. With `last_id` still in the replay
    // buffer, the deltas after it are queued first; otherwise `snapshot()`
    // (called under the hub's lock) is queued as `event: snapshot` with the
    // last id given so far. True when it replayed.
    bool attach(stream_slot& slot, std::optional<std::uint64_t> last_id,
                const std::function<std::string()>& snapshot);

    // Closes every stream (the server stops): their threads end.
    void close_all();
    std::size_t open_streams() const;
    std::uint64_t last_id() const;

private:
    friend class stream_slot;
    void release(const std::shared_ptr<stream_queue>& queue);

    const std::size_t max_streams_, queue_limit_, replay_limit_;
    mutable std::mutex mutex_;  // guards what follows
    std::size_t open_ = 0;
    std::set<std::shared_ptr<stream_queue>> attached_;
    std::set<std::shared_ptr<stream_queue>> all_;
    std::deque<std::pair<std::uint64_t, std::string>> replay_;  // id, message
    // Starts past every id of an earlier run (first_id() in the .cpp): a
    // browser coming back with one must get a snapshot, not this run's
    // events replayed as if they followed it.
    std::uint64_t next_id_;
};

}  // namespace skynet::web

#pragma once
// Where a scrape of /metrics (on an exposer thread) asks the broker's
// thread for a snapshot of its tables, which only that thread may walk, and
// waits for it. The broker's loop looks at one relaxed atomic per burst of
// messages; the lock and the wake-up are the scrape's, once per scrape.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include "service_snapshot.hpp"
#include "skynet/runtime/event_fd.hpp"

namespace skynet::broker_detail {

class scrape_desk {
public:
    // The broker's thread: its loop starts and ends (a scrape outside gets
    // nothing from the tables).
    void open();
    void close();
    // The broker's thread, after each burst: is a snapshot wanted?
    bool wanted() const noexcept { return wanted_.load(std::memory_order_relaxed); }
    // The broker's thread: the snapshot wanted.
    void answer(broker_snapshot snapshot);
    // Wakes a broker waiting in poll for a scrape; drain it there.
    runtime::event_fd& wake() noexcept { return wake_; }

    // A scraping thread: the broker's snapshot, or null if the broker is
    // not running or did not answer within `patience`. Shared, not copied:
    // two scrapes at once may read the same one.
    std::shared_ptr<const broker_snapshot> ask(std::chrono::milliseconds patience);

private:
    std::mutex mutex_;
    std::condition_variable answered_cv_;
    bool open_ = false;
    std::uint64_t asked_ = 0;
    std::uint64_t answered_ = 0;
    std::shared_ptr<const broker_snapshot> latest_;
    std::atomic<bool> wanted_{false};
    runtime::event_fd wake_{"broker scrape"};
};

}  // namespace skynet::broker_detail

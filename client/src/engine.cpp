#include "engine.hpp"

#include <unistd.h>

#include "skynet/bus/origin.hpp"
#include "skynet/runtime/sockets.hpp"

namespace skynet::client_detail {

namespace {
// How often the loop looks at unsent calls and broker health at most.
constexpr std::chrono::milliseconds unsent_tick{5};
}  // namespace

engine::engine(const client_options& options)
    : options_(options),
      origin_(bus::make_origin(options.name)),
      log_(runtime::logger_for("client")),
      context_owner_(runtime::context_or_own(options.context)),
      context_(*context_owner_),
      jitter_(static_cast<std::uint32_t>(getpid()) ^
              static_cast<std::uint32_t>(bus::clock::now().time_since_epoch().count())),
      discovering_(options.brokers.empty()),
      policy_(client_directory_policy(options.region)) {
    const auto now = bus::clock::now();
    links_.resize(options_.brokers.size());
    for (std::size_t i = 0; i < links_.size(); ++i) {
        links_[i].endpoint = options_.brokers[i];
        links_[i].last_heard = now;
        reset_socket(links_[i]);
    }
    thread_ = std::thread([this] { run_background(); });
}

engine::~engine() {
    {
        auto lock = inbox_.lock();
        stopping_ = true;
    }
    background_.notify_one();
    inbox_.wake();  // a driver in poll
    thread_.join();
}

void engine::submit(submission&& s) {
    if (on_engine_thread()) {
        deferred_.push_back(std::move(s));  // started once the callback returns
        return;
    }
    bool wake_driver = false;
    {
        auto lock = inbox_.lock();
        if (stopping_) {
            // Not started: answered here, on the caller's thread.
            s.done(bus::error{bus::errc::unavailable, "client is closing"});
            return;
        }
        // One wake-up per batch: of the driver if there is one, else of the
        // engine's thread, which takes the turn.
        wake_driver = inbox_.push(lock, std::move(s)) && driving_;
        if (!driving_) {
            background_.notify_one();
        }
    }
    if (wake_driver) {
        inbox_.wake();
    }
}

client_stats engine::stats() const noexcept {
    return stats_.snapshot();
}

// False once the engine is stopping.
bool engine::take_inbox(time_point now) {
    std::optional<std::vector<broker_entry>> directory;
    bool stopping = false;
    {
        auto lock = inbox_.lock();
        inbox_.take_all(lock, taken_);  // both keep their capacity
        directory.swap(directory_);
        stopping = stopping_;
    }
    if (directory) {
        apply_directory(*directory, now);
    }
    for (auto& s : taken_) {
        start_call(std::move(s), now);
    }
    taken_.clear();
    return !stopping;
}

bool engine::iterate(bool block) {
    wait_for_work(block);
    const auto now = bus::clock::now();
    bool going = true;
    if ((items_[0].revents & ZMQ_POLLIN) != 0) {
        inbox_.drain();
        going = take_inbox(now);
    }
    for (std::size_t i = 1; i < items_.size(); ++i) {
        if ((items_[i].revents & ZMQ_POLLIN) == 0) {
            continue;
        }
        if (i <= polled_links_) {
            on_link_message(i - 1, now);
        } else if (i <= 2 * polled_links_) {
            on_monitor_event(i - 1 - polled_links_, now);
        } else {
            on_raw_message(i - 1 - 2 * polled_links_, now);
        }
    }
    start_deferred(now);
    send_unsent(now);
    send_hedges(now);
    expire(now);
    if (now >= next_check_) {
        check_links(now);
        next_check_ = now + std::min(options_.heartbeat, milliseconds(100));
    }
    flush_batches(now);  // what this turn staged, before the next wait
    return going;
}

void engine::wait_for_work(bool block) {
    if (items_dirty_) {
        rebuild_poll_items();
    }
    const auto now = bus::clock::now();
    if (!block) {
        bus::poll_until(items_, now);
        return;
    }
    auto wake_at = next_check_;
    if (!deadlines_.empty()) {
        wake_at = std::min(wake_at, deadlines_.top().when);
    }
    if (!hedges_.empty()) {
        wake_at = std::min(wake_at, hedges_.top().when);
    }
    if (!unsent_.empty() || !deferred_.empty()) {
        wake_at = std::min(wake_at, now + (deferred_.empty() ? unsent_tick : milliseconds(0)));
    }
    bus::poll_until(items_, wake_at);
}

// Swapped, not moved out: both vectors keep their capacity, so that calls
// made from callbacks cost no allocation per batch.
void engine::start_deferred(time_point now) {
    while (!deferred_.empty()) {
        std::swap(starting_, deferred_);
        for (auto& s : starting_) {
            start_call(std::move(s), now);
        }
        starting_.clear();
    }
}

// Closing: every call still running gets its one outcome.
void engine::close_all() {
    const bus::error closing{bus::errc::unavailable, "client is closing"};
    calls_.for_each([&](pending_call& call) { finish(call, bus::error(closing)); });
    // Swapped out first: a callback answered here may submit again.
    while (!deferred_.empty()) {
        std::swap(starting_, deferred_);
        for (auto& s : starting_) {
            s.done(bus::error(closing));
        }
        starting_.clear();
    }
    // Submitted while we were stopping (after the last take, before the
    // destructor set stopping_): never started, but owed an outcome too.
    {
        auto lock = inbox_.lock();
        inbox_.take_all(lock, taken_);
    }
    for (auto& s : taken_) {
        s.done(bus::error(closing));
    }
    taken_.clear();
}

void engine::rebuild_poll_items() {
    items_.clear();
    items_.push_back(inbox_.poll_item());
    for (auto& link : links_) {
        items_.push_back({link.socket->handle(), 0, ZMQ_POLLIN, 0});
    }
    for (auto& link : links_) {
        // Its ZMQ_FD, polled as a plain fd: zmq_poll would ask a socket for
        // ZMQ_EVENTS before and after every wait, two syscalls each time,
        // for events that come once per connection. The fd tells only that
        // something may have come; on_monitor_event reads until nothing is
        // left, so that it tells again, and nothing is ever sent on it.
        items_.push_back({nullptr, link.monitor->get(zmq::sockopt::fd), ZMQ_POLLIN, 0});
    }
    polled_links_ = links_.size();
    for (auto& raw : raw_sockets_) {
        items_.push_back({raw->socket.handle(), 0, ZMQ_POLLIN, 0});
    }
    items_dirty_ = false;
}

}  // namespace skynet::client_detail

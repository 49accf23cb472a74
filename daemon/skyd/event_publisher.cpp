#include "event_publisher.hpp"

#include <nlohmann/json.hpp>

#include "skynet/registry/channel_publisher.hpp"
#include "skynet/runtime/logging.hpp"

namespace skynet::daemon {

event_publisher::event_publisher(registry::options redis, std::string daemon_id, std::string host,
                                 std::string region)
    : redis_(std::move(redis)),
      daemon_id_(std::move(daemon_id)),
      host_(std::move(host)),
      region_(std::move(region)) {
    thread_ = std::thread([this] { run(); });
}

event_publisher::~event_publisher() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

bool event_publisher::post(published_event event) {
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= queue_limit) {
            ++dropped_;
            return false;
        }
        queue_.push_back(std::move(event));
    }
    wake_.notify_one();
    return true;
}

std::uint64_t event_publisher::dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

std::string event_publisher::to_json(const published_event& event) const {
    return nlohmann::json{
        {"time_ms", event.time_ms}, {"daemon", daemon_id_},     {"host", host_},
        {"region", region_},        {"process", event.process}, {"service", event.service},
        {"kind", event.kind},       {"text", event.text}}
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// One event at a time, outside the lock: a slow Redis holds only this thread.
// A failed publish drops the event (counted): the dashboard misses one log
// line, and the queue does not fill with events that would arrive late.
void event_publisher::run() {
    auto log = runtime::logger_for("skyd");
    registry::channel_publisher channel(redis_, "daemon-events");
    bool failing = false;
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) {
            return;  // stopping, and everything queued went out
        }
        if (stopping_ && failing) {
            dropped_ += queue_.size();  // Redis is away: do not hold up the exit
            return;
        }
        auto event = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        auto sent = channel.publish(to_json(event));
        if (!sent && !failing) {
            log->warn("daemon events: cannot publish error=\"{}\"", sent.err().detail);
        }
        failing = !sent;
        lock.lock();
        dropped_ += sent ? 0 : 1;
    }
}

}  // namespace skynet::daemon

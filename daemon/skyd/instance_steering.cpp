// instance_steering.hpp: register and unregister sent from a thread of its own.
#include "instance_steering.hpp"

#include <chrono>

#include "skynet/runtime/logging.hpp"
#include "skynet/runtime/thread_name.hpp"

namespace skynet::daemon {

namespace {

// An instance that does not answer within this is stopping or dead: its
// stop goes on without it.
constexpr std::chrono::milliseconds answer_within{2000};

}  // namespace

instance_steering::instance_steering(registry::options redis)
    : redis_(std::move(redis)), thread_([this] { run(); }) {}

instance_steering::~instance_steering() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void instance_steering::tell(std::string id, registry::command what) {
    {
        std::lock_guard lock(mutex_);
        queue_.emplace_back(std::move(id), what);
    }
    wake_.notify_one();
}

void instance_steering::run() {
    runtime::name_this_thread("skyd-steer");
    auto log = runtime::logger_for("skyd");
    for (;;) {
        std::pair<std::string, registry::command> next;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return closing_ || !queue_.empty(); });
            if (closing_) {
                return;  // skyd is leaving: its processes are being stopped anyway
            }
            next = std::move(queue_.front());
            queue_.pop_front();
        }
        try {
            const std::string ids[] = {next.first};
            auto sent = registry::send_command(redis_, ids, next.second, "", answer_within);
            if (!sent) {
                log->warn("{} {}: {}", to_string(next.second), next.first, sent.err().detail);
            } else if (sent->front().status != registry::command_status::acted) {
                log->info("{} {}: {} {}", to_string(next.second), next.first,
                          to_string(sent->front().status), sent->front().detail);
            }
        } catch (const std::exception& e) {
            log->error("{} {}: {}", to_string(next.second), next.first, e.what());
        }
    }
}

}  // namespace skynet::daemon

#include "stream_queue.hpp"

namespace skynet::web {

bool stream_queue::push(std::string message) {
    {
        std::lock_guard lock(mutex_);
        if (closed_) {
            return false;
        }
        if (messages_.size() >= limit_) {
            // Dropped messages would leave the browser with a wrong view:
            // better to end the stream and let it resynchronise.
            closed_ = true;
            overflowed_ = true;
            messages_.clear();
        } else {
            messages_.push_back(std::move(message));
        }
    }
    ready_.notify_one();
    return !overflowed();
}

stream_queue::batch stream_queue::take(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    ready_.wait_for(lock, limit, [&] { return closed_ || !messages_.empty(); });
    batch out;
    out.messages.assign(std::make_move_iterator(messages_.begin()),
                        std::make_move_iterator(messages_.end()));
    messages_.clear();
    out.closed = closed_ && out.messages.empty();
    return out;
}

void stream_queue::close() {
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    ready_.notify_all();
}

bool stream_queue::overflowed() const {
    std::lock_guard lock(mutex_);
    return overflowed_;
}

std::string sse_message(std::uint64_t id, std::string_view event, std::string_view data) {
    std::string out;
    out.reserve(data.size() + event.size() + 32);
    if (id != 0) {
        out += "id: " + std::to_string(id) + "\n";
    }
    out += "event: ";
    out += event;
    out += "\ndata: ";
    out += data;
    out += "\n\n";
    return out;
}

}  // namespace skynet::web

// Message views and kept messages (message.hpp).
#include "skynet/bus/message.hpp"

namespace skynet::bus {

std::size_t message_view::bytes() const noexcept {
    if (record_ == nullptr) {
        return total_size(plain_);
    }
    std::size_t total = 0;
    for (auto f : record_->body()) {
        total += f.size();
    }
    return total;
}

zmq::message_t message_view::take(std::size_t i) {
    if (record_ != nullptr) {
        return frame_of(record_->frames[i]);
    }
    return std::move(plain_[i]);
}

void message_view::take_all(frames& out) {
    for (std::size_t i = 0; i < size(); ++i) {
        out.push_back(take(i));
    }
}

void kept_message::keep(message_view& view) {
    clear();
    if (view.record() == nullptr) {
        view.take_all(frames_);
        return;
    }
    const auto* record = view.record();
    carrier_.copy(*view.carrier());  // shares the bytes
    const auto* base = static_cast<const char*>(carrier_.data());
    record_offset_ = static_cast<std::uint32_t>(record->bytes.data() - base);
    record_size_ = static_cast<std::uint32_t>(record->bytes.size());
}

message_view kept_message::view(std::string_view route) {
    if (record_size_ == 0) {
        return message_view(route, frames_);
    }
    // Checked when it came, and its bytes have not changed since.
    batch::reader reader(view_of(carrier_).substr(record_offset_, record_size_));
    reader.next(record_);
    record_.route = route;
    return message_view(record_, carrier_);
}

void kept_message::clear() noexcept {
    frames_.clear();
    if (record_size_ != 0) {
        carrier_.rebuild();
        record_offset_ = record_size_ = 0;
    }
}

}  // namespace skynet::bus

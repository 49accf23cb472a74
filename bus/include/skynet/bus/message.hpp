#pragma once
// One request or reply as every role handles it, however it travelled: the
// body frames of a plain 7/MDP message, or one record of a batch frame
// (batch.hpp). Admission, routing, dispatch and replies are written once
// against a message_view; only the inbound splitter (for_each_message) and
// each role's outbox know that batches exist.
//
// A view borrows: it dies with the frames it was made from. What must live
// longer (a request a worker holds, which may be sent again) is a
// kept_message, which keeps the bytes it came in (frames moved, or a batch
// frame shared: ZeroMQ reference counts it) instead of copying them.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <zmq.hpp>

#include "skynet/bus/batch.hpp"
#include "skynet/bus/frames.hpp"
#include "skynet/bus/result.hpp"

namespace skynet::bus {

class message_view {
public:
    // A plain message's body frames under `route` (a service name on the
    // client leg, a client address on the worker leg). The frames stay
    // where they are: take() may move them out.
    message_view(std::string_view route, std::span<zmq::message_t> body) noexcept
        : route_(route), plain_(body) {}
    // A record of `carrier`, the batch frame it lies in.
    message_view(const batch::record& record, zmq::message_t& carrier) noexcept
        : route_(record.route), record_(&record), carrier_(&carrier) {}

    std::string_view route() const noexcept { return route_; }
    // Body frames: at least one for anything that passed the codec.
    std::size_t size() const noexcept {
        return record_ != nullptr ? record_->frame_count : plain_.size();
    }
    std::string_view operator[](std::size_t i) const noexcept {
        return record_ != nullptr ? record_->frames[i] : view_of(plain_[i]);
    }
    // The body's bytes, as message size limits count them.
    std::size_t bytes() const noexcept;
    // It came as a record of a batch frame (its peer takes batches).
    bool batched() const noexcept { return record_ != nullptr; }

    // Frame i as a frame of its own. A plain message's frame is moved out
    // (no copy; the view no longer reads it); a record's is copied, the one
    // copy a record costs when it must leave as plain frames.
    zmq::message_t take(std::size_t i);
    // Appends every body frame to `out`, as take() does.
    void take_all(frames& out);

    // For kept_message: the plain frames, or the record and its carrier.
    std::span<zmq::message_t> plain_frames() const noexcept { return plain_; }
    const batch::record* record() const noexcept { return record_; }
    zmq::message_t* carrier() const noexcept { return carrier_; }

private:
    std::string_view route_;
    std::span<zmq::message_t> plain_;
    const batch::record* record_ = nullptr;
    zmq::message_t* carrier_ = nullptr;
};

// Calls `on_message(message_view&)` for the one message of a plain body, or
// for each record of a batch body (`batch` true: its one frame is a batch).
// A batch is checked whole first: if any record is malformed, none is
// handed on and the error says what is wrong (its bytes came from the
// network, and no record of a broken batch can be trusted). Returns how
// many messages were handed on. `on_message` may stop early by returning
// false.
template <class OnMessage>
result<std::size_t> for_each_message(std::string_view route, std::span<zmq::message_t> body,
                                     bool batch, OnMessage&& on_message) {
    if (!batch) {
        message_view view(route, body);
        on_message(view);
        return std::size_t{1};
    }
    if (body.size() != 1) {
        return error{errc::bad_request, "batch is not one frame"};
    }
    auto checked = batch::check(view_of(body[0]));
    if (!checked) {
        return checked;
    }
    batch::reader reader(view_of(body[0]));
    batch::record record;
    std::size_t handed = 0;
    while (reader.next(record)) {
        message_view view(record, body[0]);
        ++handed;
        if (!on_message(view)) {
            break;
        }
    }
    return handed;
}

// A message that outlives the frames it came in, for as long as a role
// holds it (the broker, while a worker runs it, so that it may be sent
// again). Keeping copies no bytes: a plain message's frames are moved in,
// a record keeps its batch frame alive, shared, and where in it the record
// lies. Reuse one: clear() keeps the frame vector's capacity.
class kept_message {
public:
    // Takes the plain frames out of `view` (moves them), or shares the
    // record's carrier.
    void keep(message_view& view);
    // The kept message as a view again, under `route`. Views into this
    // object: valid until it changes.
    message_view view(std::string_view route);
    bool empty() const noexcept { return frames_.empty() && record_size_ == 0; }
    // Lets go of what it kept; keeps capacity.
    void clear() noexcept;

private:
    frames frames_;
    zmq::message_t carrier_;
    std::uint32_t record_offset_ = 0;
    std::uint32_t record_size_ = 0;
    batch::record record_;  // re-read from carrier_ by view()
};

}  // namespace skynet::bus

// Batch frames (batch.hpp). check() and the reader share one record parser,
// so that what check() accepts is exactly what the reader walks.
#include "skynet/bus/batch.hpp"

#include <atomic>
#include <bit>
#include <cassert>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "skynet/bus/frames.hpp"

namespace skynet::bus::batch {
namespace {

// Frame lengths are copied as they lie in memory.
static_assert(std::endian::native == std::endian::little, "batch lengths are little-endian");

constexpr std::size_t length_size = 4;
static_assert(max_record_frames == 8, "count_over spells the limit out");

// What is wrong with a record, if anything.
struct flaw {
    const char* what = nullptr;  // nothing: the record is whole
    bool of_frame = false;       // `what` is about one frame of the record
};

constexpr flaw route_cut{"route runs past the end"};
constexpr flaw count_missing{"frame count is missing"};
constexpr flaw count_zero{"frame count is 0"};
constexpr flaw count_over{"frame count is over 8"};
constexpr flaw length_cut{"length is cut short", true};
constexpr flaw frame_cut{"runs past the end", true};

// Reads the record that starts at `pos` (< in.size()) into `out` and moves
// `pos` past it. On a flaw, `pos` is left alone, `out` holds parts of the
// record, and `frame` says which frame has it. Every read is checked against
// the end first.
flaw read_record(std::string_view in, std::size_t& pos, record& out, std::size_t& frame) noexcept {
    const std::size_t route = static_cast<std::uint8_t>(in[pos]);
    std::size_t at = pos + 1;
    if (route > in.size() - at) {
        return route_cut;
    }
    if (route == in.size() - at) {
        return count_missing;
    }
    out.route = in.substr(at, route);
    at += route;
    const auto count = static_cast<std::uint8_t>(in[at++]);
    if (count == 0) {
        return count_zero;
    }
    if (count > max_record_frames) {
        return count_over;
    }
    for (frame = 0; frame < count; ++frame) {
        if (in.size() - at < length_size) {
            return length_cut;
        }
        std::uint32_t length = 0;
        std::memcpy(&length, in.data() + at, length_size);
        at += length_size;
        if (length > in.size() - at) {
            return frame_cut;
        }
        out.frames[frame] = in.substr(at, length);
        at += length;
    }
    out.frame_count = count;
    out.bytes = in.substr(pos, at - pos);
    pos = at;
    return {};
}

// "batch record 2 at byte 17: frame 1 runs past the end" (counted from 0).
error malformed(flaw f, std::size_t index, std::size_t at, std::size_t frame) {
    std::string detail =
        "batch record " + std::to_string(index) + " at byte " + std::to_string(at) + ": ";
    if (f.of_frame) {
        detail += "frame " + std::to_string(frame) + ' ';
    }
    detail += f.what;
    return error{errc::bad_request, std::move(detail)};
}

}  // namespace

result<std::size_t> check(std::string_view batch) noexcept {
    record r;
    std::size_t count = 0;
    for (std::size_t pos = 0; pos < batch.size(); ++count) {
        const std::size_t start = pos;
        std::size_t frame = 0;
        if (const auto f = read_record(batch, pos, r, frame); f.what != nullptr) {
            return malformed(f, count, start, frame);
        }
    }
    return count;
}

bool reader::next(record& out) noexcept {
    if (pos_ >= batch_.size()) {
        return false;
    }
    std::size_t frame = 0;
    if (read_record(batch_, pos_, out, frame).what != nullptr) {
        pos_ = batch_.size();  // not a whole record: nothing after it can be trusted
        return false;
    }
    return true;
}

// A buffer and who has it. `with_writer`: its writer writes into it, or
// will. `with_zeromq`: a frame handed out views it; ZeroMQ gives it back
// (given_back) from whichever thread drops the frame. `orphaned`: its
// writer is gone while ZeroMQ had it, so the one giving it back frees it.
struct writer::buffer {
    enum : std::uint8_t { with_writer, with_zeromq, orphaned };
    std::string bytes;
    std::atomic<std::uint8_t> holder{with_writer};
};

writer::~writer() {
    release_all();
}

writer::writer(writer&& other) noexcept
    : current_(std::exchange(other.current_, nullptr)),
      buffers_(std::move(other.buffers_)),
      next_spare_(std::exchange(other.next_spare_, 0)),
      records_(std::exchange(other.records_, 0)),
      frames_left_(std::exchange(other.frames_left_, 0)) {
    other.buffers_.clear();
}

writer& writer::operator=(writer&& other) noexcept {
    if (this != &other) {
        release_all();
        current_ = std::exchange(other.current_, nullptr);
        buffers_ = std::move(other.buffers_);
        other.buffers_.clear();
        next_spare_ = std::exchange(other.next_spare_, 0);
        records_ = std::exchange(other.records_, 0);
        frames_left_ = std::exchange(other.frames_left_, 0);
    }
    return *this;
}

void writer::release_all() noexcept {
    for (auto* b : buffers_) {
        std::uint8_t expected = buffer::with_zeromq;
        if (!b->holder.compare_exchange_strong(expected, buffer::orphaned,
                                               std::memory_order_acq_rel)) {
            delete b;  // ours: not out, or just given back
        }
    }
    buffers_.clear();
    current_ = nullptr;
}

void writer::given_back(void* /*data*/, void* hint) noexcept {
    auto* b = static_cast<buffer*>(hint);
    std::uint8_t expected = buffer::with_zeromq;
    if (!b->holder.compare_exchange_strong(expected, buffer::with_writer,
                                           std::memory_order_acq_rel)) {
        delete b;  // orphaned: its writer is gone
    }
}

writer::buffer& writer::writing() {
    if (current_ != nullptr) {
        return *current_;
    }
    if (buffers_.size() > buffers_kept) {
        shed_spares();
    }
    // A buffer ZeroMQ gave back, searched from where the last search ended:
    // frames leave in the order they were taken, so the oldest is likeliest.
    for (std::size_t i = 0; i < buffers_.size(); ++i) {
        auto* b = buffers_[(next_spare_ + i) % buffers_.size()];
        if (b->holder.load(std::memory_order_acquire) == buffer::with_writer) {
            next_spare_ = (next_spare_ + i + 1) % buffers_.size();
            b->bytes.clear();
            current_ = b;
            return *b;
        }
    }
    if (buffers_.size() == buffers_.capacity()) {
        buffers_.reserve(buffers_.size() * 2 + 2);  // so that push_back cannot throw below
    }
    current_ = new buffer;
    buffers_.push_back(current_);
    return *current_;
}

// A burst (a peer slow to read, frames queued for it) made more buffers
// than a writer needs: those ZeroMQ gave back go, all but one, so that the
// burst's memory does not stay with the writer.
void writer::shed_spares() noexcept {
    bool kept_one = false;
    std::size_t kept = 0;
    for (auto* b : buffers_) {
        if (b->holder.load(std::memory_order_acquire) == buffer::with_writer) {
            if (kept_one) {
                delete b;
                continue;
            }
            kept_one = true;
        }
        buffers_[kept++] = b;
    }
    buffers_.resize(kept);
    next_spare_ = 0;
}

std::size_t writer::capacity() const noexcept {
    return current_ != nullptr ? current_->bytes.capacity() : 0;
}

std::string_view writer::bytes() const noexcept {
    return current_ != nullptr ? std::string_view(current_->bytes) : std::string_view();
}

void writer::begin(std::string_view route, std::uint8_t frame_count) {
    assert(route.size() <= max_route);
    assert(frame_count >= 1 && frame_count <= max_record_frames);
    assert(frames_left_ == 0);
    auto& out = writing().bytes;
    out.push_back(static_cast<char>(route.size()));
    out.append(route);
    out.push_back(static_cast<char>(frame_count));
    frames_left_ = frame_count;
    ++records_;
}

std::span<char> writer::frame(std::string_view bytes) {
    auto space = frame_space(bytes.size());
    if (!bytes.empty()) {
        std::memcpy(space.data(), bytes.data(), bytes.size());
    }
    return space;
}

std::span<char> writer::frame_space(std::size_t size) {
    assert(frames_left_ > 0);
    if (size > UINT32_MAX) {
        throw std::length_error("batch frame of 4 GiB or more");
    }
    auto& out = writing().bytes;
    const auto length = static_cast<std::uint32_t>(size);
    char prefix[length_size];
    std::memcpy(prefix, &length, length_size);
    out.append(prefix, length_size);
    const std::size_t at = out.size();
    out.resize(at + size);
    --frames_left_;
    return {out.data() + at, size};
}

std::span<char> writer::frame(const zmq::message_t& bytes) {
    return frame(view_of(bytes));
}

void writer::add(std::string_view route, std::span<const zmq::message_t> frames) {
    assert(!frames.empty() && frames.size() <= max_record_frames);  // before it is narrowed
    begin(route, static_cast<std::uint8_t>(frames.size()));
    for (const auto& f : frames) {
        frame(view_of(f));
    }
}

void writer::add(std::string_view route, const record& from) {
    begin(route, from.frame_count);
    for (auto f : from.body()) {
        frame(f);
    }
}

zmq::message_t writer::take() {
    assert(frames_left_ == 0);
    if (current_ == nullptr || current_->bytes.empty()) {
        clear();
        return zmq::message_t();  // a batch of 0 records
    }
    auto* out = current_;
    out->holder.store(buffer::with_zeromq, std::memory_order_relaxed);
    try {
        zmq::message_t frame(out->bytes.data(), out->bytes.size(), &writer::given_back, out);
        current_ = nullptr;
        records_ = 0;
        frames_left_ = 0;
        return frame;
    } catch (...) {
        out->holder.store(buffer::with_writer, std::memory_order_relaxed);  // never handed out
        throw;
    }
}

void writer::clear() noexcept {
    if (current_ != nullptr) {
        current_->bytes.clear();
    }
    records_ = 0;
    frames_left_ = 0;
}

}  // namespace skynet::bus::batch

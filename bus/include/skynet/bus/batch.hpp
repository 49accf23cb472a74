#pragma once
// Batch frames: several requests or replies in ONE ZeroMQ frame, since
// libzmq's cost follows the number of frames. Only between our own peers,
// once negotiated; a plain 7/MDP peer never sees one.
//
// A batch frame is a sequence of records, nothing before or after them (an
// empty frame is a batch of 0 records). A record:
//
//   u8   route length R (0..255)
//   R    route bytes: a service name on the client leg, a client address
//        token on the worker leg
//   u8   frame count F (1..max_record_frames)
//   F times: u32 little-endian length L, then L bytes (the body frames,
//        such as a BSON header and a BSON params document)
//
// Reading: check() decides, all or nothing, whether bytes from the network
// are a batch; a reader then walks its records as views into those bytes.
// Writing: a writer appends records into a buffer it keeps between batches.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>
#include <zmq.hpp>

#include "skynet/bus/mmi.hpp"
#include "skynet/bus/result.hpp"

namespace skynet::bus::batch {

inline constexpr std::size_t max_record_frames = 8;
inline constexpr std::size_t max_route = 255;

// Negotiation (docs/design.md). A client asks its broker with an mmi.batch
// request whose body is an empty batch: a broker that takes batches answers
// an empty batch and the most bytes it takes in one batch frame (decimal
// text); one that does not answers "501" (8/MMI). From then on the client
// may send "mmi.batch" requests whose body is one batch frame of requests
// (route: the service), and gets replies the same way. A worker adds
// `credit_feature` after its credit in mmi.credit; a broker that agrees
// adds it, and its limit, after the credit it grants; REQUESTs and REPLYs
// whose client address is `service` (never a broker's address for a
// client) then carry one batch frame (route: the client address).
inline constexpr std::string_view service = mmi::batch;
inline constexpr std::string_view credit_feature = "batch";
// A record of this many bytes or more travels alone, as plain frames:
// copying it into a batch would cost more than the frames it saves.
inline constexpr std::size_t record_limit = 16 * 1024;
// The most bytes a peer puts in one batch frame, unless told less. Larger
// is not faster: with 1,000 calls in flight, 256 KiB moved them as two
// convoys that left client, broker and worker idle in turn (0.55x the
// relay); 64 KiB keeps four or so in the pipeline (0.85-1.0x), 8 KiB
// spends frames again (0.74-0.86x).
inline constexpr std::size_t default_limit = 64 * 1024;

// One record, as views into the batch's bytes: it dies with them.
struct record {
    std::string_view route;
    std::uint8_t frame_count = 0;                              // 1..max_record_frames
    std::array<std::string_view, max_record_frames> frames{};  // the first frame_count
    std::string_view bytes;                                    // the whole encoded record

    std::span<const std::string_view> body() const noexcept { return {frames.data(), frame_count}; }
};

// The number of records in `batch`, or error{bad_request, what is wrong and
// at which record and byte} for any malformed shape: a route, frame count,
// frame length or frame cut short by the end, a frame count of 0 or over
// max_record_frames. Reads only inside `batch`; allocates nothing unless it
// refuses (the error's text). Never throws: these bytes come from the network.
[[nodiscard]] result<std::size_t> check(std::string_view batch) noexcept;

// Walks the records of a batch, front to back. Meant for bytes that passed
// check(); on any others it still reads only inside them, and stops (returns
// false from then on) at the first record that is not whole. Views the bytes:
// they must outlive it and the records it gives.
class reader {
public:
    explicit reader(std::string_view batch) noexcept : batch_(batch) {}

    // Fills `out` with the next record and returns true; false at the end.
    // After false, `out` holds nothing meaningful.
    bool next(record& out) noexcept;

private:
    std::string_view batch_;
    std::size_t pos_ = 0;
};

// Builds a batch frame. Keep one per loop and reuse it: once warm, writing
// a record allocates nothing, and take() hands the bytes written to ZeroMQ
// without copying them. A writer keeps a few buffers for that: the one it
// writes into, and those ZeroMQ still holds (a frame on its way out); a
// buffer ZeroMQ lets go of is written into again. One thread at a time;
// ZeroMQ may give a buffer back from any thread.
class writer {
public:
    writer() noexcept = default;
    ~writer();
    writer(writer&& other) noexcept;
    writer& operator=(writer&& other) noexcept;
    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;

    // Starts a record whose `frame_count` frames the next calls of frame()
    // append. Preconditions (asserted in debug builds): route.size() <=
    // max_route; 1 <= frame_count <= max_record_frames; the last record got
    // all its frames. Throws std::bad_alloc.
    void begin(std::string_view route, std::uint8_t frame_count);

    // Appends one frame of the current record (a copy of `bytes`) and returns
    // where the copy now lies, so that the caller can rewrite fields in it
    // (rpc::rewrite_timeout). The span is valid until the next call that
    // appends, take() or clear(). `bytes` must not lie in this writer's buffer.
    // Throws std::length_error for a frame of 4 GiB or more, std::bad_alloc.
    std::span<char> frame(std::string_view bytes);
    std::span<char> frame(const zmq::message_t& bytes);
    // Appends one frame of `size` bytes for the caller to fill in through
    // the span returned (valid as above): an encoder writes straight into
    // the batch. The bytes are left as they were (unspecified).
    std::span<char> frame_space(std::size_t size);

    // A whole record: begin() and frame() for each of `frames` (1 to
    // max_record_frames of them), or for each frame of `from` under another
    // route. `from` must not view this writer's buffer.
    void add(std::string_view route, std::span<const zmq::message_t> frames);
    void add(std::string_view route, const record& from);

    std::size_t records() const noexcept { return records_; }
    std::size_t size() const noexcept { return bytes().size(); }
    bool empty() const noexcept { return records_ == 0; }
    // Of the buffer being written into.
    std::size_t capacity() const noexcept;
    // The batch so far; valid until the next call that appends, take() or clear().
    std::string_view bytes() const noexcept;

    // A frame holding the batch: the writer's own buffer, handed to ZeroMQ
    // (no copy), which gives it back when the frame is gone. The writer is
    // left cleared, writing into a buffer ZeroMQ gave back (or a new one
    // while every one is out). Precondition (asserted in debug builds): the
    // last record got all its frames. Throws zmq::error_t, std::bad_alloc.
    zmq::message_t take();

    // Drops what was written; keeps the capacity.
    void clear() noexcept;

    // Buffers made so far, written into or out with ZeroMQ (for tests).
    std::size_t buffers() const noexcept { return buffers_.size(); }

private:
    struct buffer;  // batch.cpp
    static void given_back(void* data, void* hint) noexcept;
    // The writer's buffer to write into, made if there is none.
    buffer& writing();
    void shed_spares() noexcept;
    void release_all() noexcept;
    // Buffers a writer keeps for reuse; beyond, those given back are freed.
    static constexpr std::size_t buffers_kept = 8;

    buffer* current_ = nullptr;
    std::vector<buffer*> buffers_;  // every buffer it made, current_ among them
    std::size_t next_spare_ = 0;    // where the search for a given-back buffer starts
    std::size_t records_ = 0;
    std::size_t frames_left_ = 0;  // of the current record
};

}  // namespace skynet::bus::batch

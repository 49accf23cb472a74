// Batch frames: records round-trip through the writer and the reader, the
// bytes are the documented layout, a frame copied in can be rewritten in
// place, the writer reuses its buffer, and every malformed shape is refused
// with its own error while the reader stays inside the bytes.
#include "skynet/bus/batch.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "skynet/bus/envelope.hpp"
#include "skynet/bus/frames.hpp"
#include "support/frames_of.hpp"

namespace bus = skynet::bus;
namespace batch = skynet::bus::batch;
namespace rpc = skynet::bus::rpc;

namespace {

static_assert(std::is_nothrow_move_constructible_v<batch::writer>);
static_assert(std::is_nothrow_move_assignable_v<batch::writer>);
static_assert(std::is_trivially_copyable_v<batch::record>);

std::string le32(std::uint32_t n) {
    std::string out(4, '\0');
    std::memcpy(out.data(), &n, 4);
    return out;
}

// One encoded record, byte by byte as batch.hpp lays it out.
std::string record_bytes(std::string_view route, const std::vector<std::string>& body) {
    std::string out(1, static_cast<char>(route.size()));
    out += route;
    out += static_cast<char>(body.size());
    for (const auto& f : body) {
        out += le32(static_cast<std::uint32_t>(f.size())) + f;
    }
    return out;
}

using skynet::testing::frames_of;

struct plain_record {
    std::string route;
    std::vector<std::string> body;
};

// Every record of a batch that must pass check(), copied out.
std::vector<plain_record> read_all(std::string_view bytes) {
    auto count = batch::check(bytes);
    EXPECT_TRUE(count.ok()) << count.err().detail;
    std::vector<plain_record> out;
    batch::reader in(bytes);
    batch::record r;
    while (in.next(r)) {
        plain_record p{std::string(r.route), {}};
        for (auto f : r.body()) {
            p.body.emplace_back(f);
        }
        out.push_back(std::move(p));
    }
    EXPECT_EQ(count.ok() ? *count : 0, out.size());
    return out;
}

// Writes `records` into `w` and checks that they read back alike.
void expect_round_trip(batch::writer& w, const std::vector<plain_record>& records) {
    for (const auto& r : records) {
        w.add(r.route, frames_of(r.body));
    }
    EXPECT_EQ(w.records(), records.size());
    auto frame = w.take();
    EXPECT_TRUE(w.empty());
    EXPECT_EQ(w.size(), 0u);
    auto back = read_all(bus::view_of(frame));
    ASSERT_EQ(back.size(), records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        EXPECT_EQ(back[i].route, records[i].route) << "record " << i;
        EXPECT_EQ(back[i].body, records[i].body) << "record " << i;
    }
}

TEST(Batch, EmptyBatchHasNoRecords) {
    auto count = batch::check({});
    ASSERT_TRUE(count.ok());
    EXPECT_EQ(*count, 0u);
    batch::reader in({});
    batch::record r;
    EXPECT_FALSE(in.next(r));

    batch::writer w;
    EXPECT_TRUE(w.empty());
    EXPECT_EQ(w.take().size(), 0u);
}

TEST(Batch, OneRecordRoundTrips) {
    batch::writer w;
    expect_round_trip(w, {{"echo", {"header", "params"}}});
}

TEST(Batch, ManyRecordsRoundTripInOrder) {
    std::vector<plain_record> records;
    for (int i = 0; i < 300; ++i) {
        std::vector<std::string> body;
        for (int f = 0; f <= i % 8; ++f) {
            body.push_back(std::string(static_cast<std::size_t>(i * f % 70), char('a' + f)));
        }
        records.push_back({"service-" + std::to_string(i % 7), std::move(body)});
    }
    batch::writer w;
    expect_round_trip(w, records);
}

TEST(Batch, RoutesOfZeroAndMaxLengthRoundTrip) {
    batch::writer w;
    expect_round_trip(w, {{"", {"x"}},
                          {std::string(batch::max_route, 'r'), {"y"}},
                          {std::string(8, '\0'), {"z"}}});  // a client address token
}

TEST(Batch, EmptyFramesAndEightFramesRoundTrip) {
    batch::writer w;
    expect_round_trip(w, {{"a", {""}},
                          {"b", {"", "", "", "", "", "", "", ""}},
                          {"c", {"1", "22", "", "4444", std::string(70000, 'x'), "6", "", "8"}}});
}

TEST(Batch, BytesAreTheDocumentedLayout) {
    batch::writer w;
    w.begin("echo", 2);
    w.frame(std::string_view("hdr"));
    w.frame(bus::frame_of(""));
    w.add("", frames_of({"p"}));
    const std::string expected = std::string("\004echo\002", 6) + le32(3) + "hdr" + le32(0) +
                                 std::string("\000\001", 2) + le32(1) + "p";
    EXPECT_EQ(w.bytes(), expected);
    EXPECT_EQ(w.size(), expected.size());
    EXPECT_EQ(w.records(), 2u);
    EXPECT_EQ(bus::view_of(w.take()), expected);
}

TEST(Batch, RecordViewsLieInTheBatch) {
    const std::string bytes = record_bytes("svc", {"ab", "c"}) + record_bytes("", {""});
    batch::reader in(bytes);
    batch::record r;
    ASSERT_TRUE(in.next(r));
    EXPECT_EQ(r.route.data(), bytes.data() + 1);
    EXPECT_EQ(r.frame_count, 2);
    EXPECT_EQ(r.frames[0].data(), bytes.data() + 9);
    EXPECT_EQ(r.frames[1], "c");
    EXPECT_EQ(r.bytes, std::string_view(bytes).substr(0, 16));
    ASSERT_TRUE(in.next(r));
    EXPECT_EQ(r.route, "");
    EXPECT_EQ(r.bytes.data(), bytes.data() + 16);
    EXPECT_EQ(r.bytes.size(), 6u);
    EXPECT_FALSE(in.next(r));
    EXPECT_FALSE(in.next(r));  // and stays at the end
}

// The broker copies a request's header into the batch and rewrites the
// copy's timeout there; the original stays as it was.
TEST(Batch, FrameSpanRewritesTheCopy) {
    rpc::request_header h;
    h.method = "Index";
    h.request_id = "00000000000000a1";
    h.retry = 1;
    h.timeout_ms = 1500;
    auto header = rpc::encode_request_header(h);
    batch::writer w;
    w.add("other", frames_of({"x"}));  // so the copy lies at an odd offset
    w.begin("echo", 2);
    auto copy = w.frame(header);
    EXPECT_EQ(std::string_view(copy.data(), copy.size()), bus::view_of(header));
    EXPECT_TRUE(rpc::rewrite_timeout(copy, 700));
    EXPECT_TRUE(rpc::rewrite_retry(copy, 2));
    w.frame(rpc::empty_document_frame());
    auto frame = w.take();

    batch::reader in(bus::view_of(frame));
    batch::record r;
    ASSERT_TRUE(in.next(r));
    ASSERT_TRUE(in.next(r));
    auto meta = rpc::peek_request(r.frames[0]);
    ASSERT_TRUE(meta.has_value());
    EXPECT_EQ(meta->timeout_ms, 700);
    EXPECT_EQ(rpc::peek_retry(r.frames[0]), 2);
    auto decoded = rpc::decode_request_header(r.frames[0]);
    ASSERT_TRUE(decoded.ok()) << decoded.err().detail;
    EXPECT_EQ(decoded->method, "Index");
    EXPECT_EQ(rpc::peek_request(header)->timeout_ms, 1500);
}

TEST(Batch, RecordCopiesOnUnderAnotherRoute) {
    const std::string from = record_bytes("echo", {"h", "", "p"});
    batch::reader in(from);
    batch::record r;
    ASSERT_TRUE(in.next(r));
    batch::writer w;
    w.add("client-token", r);
    EXPECT_EQ(w.bytes(), record_bytes("client-token", {"h", "", "p"}));
}

TEST(Batch, WriterHandsItsBufferOverAndReusesItOnceGivenBack) {
    batch::writer w;
    auto fill = [&] {
        for (int i = 0; i < 50; ++i) {
            w.begin("echo", 2);
            w.frame(std::string_view("header of a request"));
            w.frame(std::string_view("params"));
        }
    };
    fill();
    const auto* buffer = w.bytes().data();
    const auto capacity = w.capacity();
    const auto size = w.size();
    auto first = w.take();
    EXPECT_EQ(first.data(), static_cast<const void*>(buffer));  // handed over, not copied
    EXPECT_TRUE(w.empty());
    EXPECT_EQ(w.size(), 0u);

    // While the first frame lives, the next batch goes into a second buffer.
    fill();
    EXPECT_NE(w.bytes().data(), buffer);
    EXPECT_EQ(w.buffers(), 2u);
    auto second = w.take();
    EXPECT_EQ(batch::check(bus::view_of(first)).value(), 50u);
    EXPECT_EQ(bus::view_of(second), bus::view_of(first));

    // Once ZeroMQ lets go of the first, it is written into again, warm.
    first = zmq::message_t();
    fill();  // no allocation: the same buffer, its capacity kept
    EXPECT_EQ(w.bytes().data(), buffer);
    EXPECT_EQ(w.capacity(), capacity);
    EXPECT_EQ(w.size(), size);
    EXPECT_EQ(w.buffers(), 2u);
    w.clear();
    EXPECT_TRUE(w.empty());
    EXPECT_EQ(w.records(), 0u);
    EXPECT_EQ(w.capacity(), capacity);
}

TEST(Batch, WriterFreesWhatABurstMadeOnceGivenBack) {
    batch::writer w;
    auto one_batch = [&] {
        w.begin("echo", 1);
        w.frame(std::string_view("a request"));
        return w.take();
    };
    std::vector<zmq::message_t> queued;  // a peer slow to read: every frame still out
    for (int i = 0; i < 40; ++i) {
        queued.push_back(one_batch());
    }
    EXPECT_EQ(w.buffers(), 40u);
    queued.clear();  // the peer caught up: ZeroMQ gives every buffer back
    auto next = one_batch();
    EXPECT_LE(w.buffers(), 8u);
    EXPECT_EQ(batch::check(bus::view_of(next)).value(), 1u);
}

TEST(Batch, FramesOutliveTheirWriter) {
    zmq::message_t kept;
    {
        batch::writer w;
        w.begin("echo", 1);
        w.frame(std::string_view("still here"));
        kept = w.take();
        w.begin("echo", 1);
        w.frame(std::string_view("dropped with the writer"));
    }
    // The buffer was left to the frame (ASan would see a use after free).
    batch::reader reader(bus::view_of(kept));
    batch::record r;
    ASSERT_TRUE(reader.next(r));
    EXPECT_EQ(r.frames[0], "still here");
}

TEST(Batch, MovedWriterKeepsItsBuffers) {
    batch::writer a;
    a.begin("echo", 1);
    a.frame(std::string_view("x"));
    auto out = a.take();
    batch::writer b(std::move(a));
    EXPECT_EQ(b.buffers(), 1u);
    EXPECT_EQ(a.buffers(), 0u);  // NOLINT(bugprone-use-after-move): moved-from is empty
    out = zmq::message_t();      // given back to b's buffer
    b.begin("echo", 1);
    b.frame(std::string_view("y"));
    EXPECT_EQ(b.buffers(), 1u);
    a = std::move(b);
    auto last = a.take();
    batch::reader reader(bus::view_of(last));
    batch::record r;
    ASSERT_TRUE(reader.next(r));
    EXPECT_EQ(r.frames[0], "y");
}

struct malformed_batch {
    const char* name;
    std::string bytes;
    std::size_t whole_records;  // before the flaw: what the reader still gives
    std::string detail;
};

std::vector<malformed_batch> malformed_cases() {
    const std::string whole = record_bytes("echo", {"h", "p"});  // 16 bytes
    return {
        {"route cut", std::string("\005ech"), 0,
         "batch record 0 at byte 0: route runs past the end"},
        {"route length alone", std::string("\001"), 0,
         "batch record 0 at byte 0: route runs past the end"},
        {"lone zero byte", std::string(1, '\0'), 0,
         "batch record 0 at byte 0: frame count is missing"},
        {"no frame count", std::string("\004echo"), 0,
         "batch record 0 at byte 0: frame count is missing"},
        {"frame count 0", std::string("\004echo", 5) + '\0' + le32(0), 0,
         "batch record 0 at byte 0: frame count is 0"},
        {"frame count 9", record_bytes("echo", {"1", "2", "3", "4", "5", "6", "7", "8", "9"}), 0,
         "batch record 0 at byte 0: frame count is over 8"},
        {"frame count 255", std::string("\000\377", 2) + std::string(2000, '\0'), 0,
         "batch record 0 at byte 0: frame count is over 8"},
        {"no frame length", std::string("\004echo\001", 6), 0,
         "batch record 0 at byte 0: frame 0 length is cut short"},
        {"frame length cut", std::string("\004echo\001\002\000", 8), 0,
         "batch record 0 at byte 0: frame 0 length is cut short"},
        {"frame cut", std::string("\004echo\001", 6) + le32(5) + "abc", 0,
         "batch record 0 at byte 0: frame 0 runs past the end"},
        {"frame length near 4 GiB", std::string("\000\001", 2) + le32(0xffffffff) + "abc", 0,
         "batch record 0 at byte 0: frame 0 runs past the end"},
        {"second frame missing", std::string("\000\002", 2) + le32(1) + "a", 0,
         "batch record 0 at byte 0: frame 1 length is cut short"},
        {"second frame cut", std::string("\000\002", 2) + le32(1) + "a" + le32(2) + "b", 0,
         "batch record 0 at byte 0: frame 1 runs past the end"},
        {"trailing zero byte", whole + std::string(1, '\0'), 1,
         "batch record 1 at byte 16: frame count is missing"},
        {"trailing route length", whole + "\007", 1,
         "batch record 1 at byte 16: route runs past the end"},
        {"trailing half record", whole + whole.substr(0, 12), 1,
         "batch record 1 at byte 16: frame 1 length is cut short"},
        {"flaw after two records", whole + whole + std::string("\000\000", 2), 2,
         "batch record 2 at byte 32: frame count is 0"},
    };
}

// STYLE.md: each decoder gets a table of malformed inputs.
TEST(Batch, MalformedBatchesAreRefused) {
    for (const auto& c : malformed_cases()) {
        SCOPED_TRACE(c.name);
        auto count = batch::check(c.bytes);
        ASSERT_FALSE(count.ok());
        EXPECT_EQ(count.err().code, bus::errc::bad_request);
        EXPECT_EQ(count.err().detail, c.detail);

        // The reader, on bytes that did not pass, gives the whole records
        // before the flaw, every view inside the bytes, then stops for good.
        batch::reader in(c.bytes);
        batch::record r;
        std::size_t read = 0;
        const auto* begin = c.bytes.data();
        const auto* end = begin + c.bytes.size();
        while (in.next(r)) {
            ++read;
            EXPECT_TRUE(r.bytes.data() >= begin && r.bytes.data() + r.bytes.size() <= end);
        }
        EXPECT_EQ(read, c.whole_records);
        EXPECT_FALSE(in.next(r));
    }
}

}  // namespace

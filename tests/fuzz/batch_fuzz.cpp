// Fuzz target: batch frames on arbitrary bytes. check() must never crash nor
// read out of bounds; what it accepts must be exactly what the reader walks,
// record by record back to back, and the writer must encode those records
// into the very same bytes. On what it refuses, the reader must still stay
// inside the bytes and stop before their end.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "skynet/bus/batch.hpp"
#include "skynet/bus/frames.hpp"

namespace {

namespace batch = skynet::bus::batch;

void require(bool property) {
    if (!property) {
        __builtin_trap();
    }
}

// Each view lies inside `outer` (empty views too: they must still point there).
bool inside(std::string_view inner, std::string_view outer) {
    return inner.data() >= outer.data() && inner.size() <= outer.size() &&
           inner.data() - outer.data() <= static_cast<std::ptrdiff_t>(outer.size() - inner.size());
}

// A record's parts lie inside it, in their order, and it starts at `at`.
void check_record(const batch::record& r, std::string_view input, std::size_t at) {
    require(r.bytes.data() == input.data() + at);
    require(inside(r.bytes, input));
    require(inside(r.route, r.bytes) && r.route.data() == r.bytes.data() + 1);
    require(r.frame_count >= 1 && r.frame_count <= batch::max_record_frames);
    const char* last = r.route.data() + r.route.size() + 1;  // past the frame count
    for (auto f : r.body()) {
        require(inside(f, r.bytes) && f.data() == last + 4);
        last = f.data() + f.size();
    }
    require(last == r.bytes.data() + r.bytes.size());
}

// Writes `r` again, through each of the writer's ways in turn.
void rewrite(batch::writer& out, const batch::record& r, std::size_t index,
             skynet::bus::frames& scratch) {
    switch (index % 3) {
        case 0:
            out.begin(r.route, r.frame_count);
            for (auto f : r.body()) {
                auto copy = out.frame(f);
                require(std::string_view(copy.data(), copy.size()) == f);
            }
            break;
        case 1:
            out.add(r.route, r);
            break;
        default:
            scratch.clear();
            for (auto f : r.body()) {
                scratch.push_back(skynet::bus::frame_of(f));
            }
            out.add(r.route, scratch);
            break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    static batch::writer out;  // reused, as a loop reuses it
    static skynet::bus::frames scratch;
    auto count = batch::check(input);

    batch::reader in(input);
    batch::record r;
    std::size_t records = 0;
    std::size_t at = 0;
    while (in.next(r)) {
        check_record(r, input, at);
        at += r.bytes.size();
        if (count.ok()) {
            rewrite(out, r, records, scratch);
        }
        ++records;
    }
    require(!in.next(r));  // the end stays the end

    if (!count.ok()) {
        // check() names the record the reader stopped at; a walk to the very
        // end would have been a whole batch.
        const std::string where =
            "batch record " + std::to_string(records) + " at byte " + std::to_string(at) + ": ";
        require(count.code() == skynet::bus::errc::bad_request &&
                count.err().detail.starts_with(where));
        require(at < size);
        return 0;
    }
    require(records == *count && at == size);
    require(out.records() == records && out.bytes() == input);
    auto frame = out.take();
    require(skynet::bus::view_of(frame) == input && out.empty() && out.size() == 0);
    return 0;
}

// Fuzz target: the registry's instance record (registry/codec.hpp). Anyone who
// can write to Redis can corrupt a hash that every sky, client and broker then
// reads, so decode_instance must turn garbage into an error, never a crash.
//
// The fuzz bytes become one HGETALL reply: frames as in fuzz_frames.hpp (a
// length byte, then that many bytes), paired up as field name and value; an
// odd last frame is a name with an empty value. The first byte picks the
// dictionary the names come from, so that the fuzzer reaches the real field
// names quickly without having to spell them:
//   - even: names are taken as they are;
//   - odd: a one-byte name selects a known field by index (others as they are).
//
// Oracle beyond "no crash": a record that decodes must survive
// encode_instance and decode again unchanged, since the owner's encoding and
// every reader's decoding have to agree on it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_frames.hpp"
#include "skynet/registry/codec.hpp"
#include "skynet/registry/query.hpp"

namespace {

namespace registry = skynet::registry;
namespace field = registry::field;

constexpr std::array known_fields = {
    field::id,
    field::kind,
    field::service,
    field::version,
    field::region,
    field::host,
    field::pid,
    field::endpoint,
    field::broker,
    field::registered,
    field::started_at,
    field::updated_at,
    field::methods,
    field::services,
    field::requests,
    field::errors,
    field::latency_avg_us,
    field::latency_p99_us,
    field::latency_p50_us,
    field::latency_p95_us,
    field::last_error,
    field::last_request_at,
    field::clients,
    field::managed_by,
    field::cpu_percent,
    field::cpus,
    field::memory_total,
    field::memory_available,
    field::load1,
    field::load5,
    field::load15,
    field::uptime_s,
    field::curve_key,
    field::draining,
};

std::string_view name_of(const zmq::message_t& frame, bool by_index) {
    auto text = skynet::bus::view_of(frame);
    if (by_index && text.size() == 1) {
        return known_fields[static_cast<std::uint8_t>(text[0]) % known_fields.size()];
    }
    return text;
}

void check_round_trip(const registry::instance& record) {
    auto pairs = registry::encode_instance(record);
    std::vector<registry::field_view> views(pairs.begin(), pairs.end());
    auto again = registry::decode_instance(views);
    if (!again.ok() || !(*again == record)) {
        __builtin_trap();  // the owner writes what readers cannot read back
    }
    // What a listener does next with a record: filter it by its own fields.
    registry::query own{.region = record.region,
                        .host = record.host,
                        .service = record.service,
                        .kind = record.kind};
    if (!own.matches(record)) {
        __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const bool by_index = (data[0] & 1) != 0;
    auto frames = skynet::fuzz::split_frames(data + 1, size - 1);
    std::vector<registry::field_view> fields;
    for (std::size_t i = 0; i < frames.size(); i += 2) {
        auto value =
            i + 1 < frames.size() ? skynet::bus::view_of(frames[i + 1]) : std::string_view{};
        fields.emplace_back(name_of(frames[i], by_index), value);
    }
    if (auto record = registry::decode_instance(fields); record.ok()) {
        check_round_trip(*record);
    } else {
        (void)record.err().detail.size();
    }
    return 0;
}

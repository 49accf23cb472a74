#include "traffic.hpp"

#include <charconv>
#include <random>

#include "support/eventually.hpp"

namespace skynet::testing::chaos {

using namespace std::chrono_literals;

std::string key_of(int lane, std::uint64_t seq) {
    // Appended, not operator+: GCC 12 warns (-Wrestrict) on "k" + std::string.
    std::string key;
    key.reserve(24);
    key.append("k").append(std::to_string(lane)).append(".").append(std::to_string(seq));
    return key;
}

bool parse_key(std::string_view key, int& lane, std::uint64_t& seq) {
    auto dot = key.find('.');
    if (key.size() < 4 || key[0] != 'k' || dot == std::string_view::npos) {
        return false;
    }
    auto lane_part = key.substr(1, dot - 1);
    auto seq_part = key.substr(dot + 1);
    auto [lane_end, lane_err] =
        std::from_chars(lane_part.data(), lane_part.data() + lane_part.size(), lane);
    auto [seq_end, seq_err] =
        std::from_chars(seq_part.data(), seq_part.data() + seq_part.size(), seq);
    return lane_err == std::errc{} && seq_err == std::errc{} &&
           lane_end == lane_part.data() + lane_part.size() &&
           seq_end == seq_part.data() + seq_part.size();
}

lane::lane(int index, client_options options, const traffic_settings& settings,
           std::chrono::steady_clock::time_point epoch)
    : index_(index),
      settings_(settings),
      epoch_(epoch),
      client_(std::make_unique<client>(std::move(options))) {
    thread_ = std::thread([this] { run(); });
}

lane::~lane() {
    stop();
    client_.reset();  // its destructor answers what still runs: records stay valid
}

void lane::stop() {
    stopping_ = true;
    if (thread_.joinable()) {
        thread_.join();
    }
}

std::vector<call_record> lane::records() const {
    std::lock_guard lock(mutex_);
    return {records_.begin(), records_.end()};
}

// A steady pace with a window: the load stays the same whatever the chaos
// does to latency, and a stalled cluster cannot pile up calls without bound.
void lane::run() {
    std::minstd_rand random(static_cast<std::uint32_t>(index_ * 7919 + 1));
    const auto period = std::chrono::microseconds(1'000'000 / settings_.rate_per_lane);
    auto next = std::chrono::steady_clock::now();
    for (std::uint64_t seq = 0; !stopping_; ++seq) {
        next += period;
        std::this_thread::sleep_until(next);
        if (!eventually([&] { return stopping_ || pending_ < std::size_t(settings_.window); },
                        1000ms) ||
            stopping_) {
            next = std::chrono::steady_clock::now();  // no burst to catch up after a stall
            --seq;
            continue;
        }
        // Mostly short requests, some long enough to be held when a
        // process dies.
        const auto r = random() % 100;
        const std::int64_t ms = r < 70 ? static_cast<std::int64_t>(r % 3) : 5 + (r % 26);
        send(seq, random() % 2 == 0, ms);
    }
}

void lane::send(std::uint64_t seq, bool idempotent, std::int64_t ms) {
    {
        std::lock_guard lock(mutex_);
        records_.push_back(
            {.idempotent = idempotent, .sent_ms = now_ms(), .ended_ms = 0, .error = {}});
    }
    ++pending_;
    bus::bson_doc params;
    params.add_string("key", key_of(index_, seq)).add_int64("ms", ms);
    call_options options;
    options.idempotent = idempotent;
    options.timeout = idempotent ? idempotent_timeout : plain_timeout;
    options.retries = idempotent ? 8 : 0;
    client_->call_async("chaos", "Work", params.view(), options,
                        [this, seq](call_result outcome) { record(seq, outcome); });
}

void lane::record(std::uint64_t seq, const call_result& outcome) {
    bool first = false;
    {
        std::lock_guard lock(mutex_);
        auto& r = records_[seq];
        first = r.outcomes == 0;
        r.outcomes = static_cast<std::uint8_t>(std::min(r.outcomes + 1, 255));
        r.code = outcome.code();
        r.ended_ms = now_ms();
        if (outcome) {
            auto echoed = outcome->result().get_string("key");
            r.wrong_reply = r.wrong_reply || !echoed || *echoed != key_of(index_, seq);
        } else {
            r.error = outcome.err().detail;
        }
    }
    if (first) {
        --pending_;  // a second outcome is recorded, not counted twice
    }
}

std::uint32_t lane::now_ms() const {
    return static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::steady_clock::now() - epoch_)
                                          .count());
}

traffic::traffic(const std::string& redis_url, const std::vector<std::string>& brokers,
                 std::chrono::steady_clock::time_point epoch, const traffic_settings& settings) {
    for (int i = 0; i < settings.lanes; ++i) {
        client_options options;
        options.name = "chaos-" + std::to_string(i);
        options.heartbeat = 250ms;
        options.liveness = 4;
        if (i % 2 == 0) {
            options.redis = redis_url;
            options.region = "chaos";
        } else {
            options.brokers = brokers;
        }
        lanes_.push_back(std::make_unique<lane>(i, std::move(options), settings, epoch));
    }
}

void traffic::stop() {
    for (auto& l : lanes_) {
        l->stop();
    }
}

std::size_t traffic::pending() const {
    std::size_t n = 0;
    for (const auto& l : lanes_) {
        n += l->pending();
    }
    return n;
}

bool traffic::settle(std::chrono::milliseconds limit) {
    return eventually([&] { return pending() == 0; }, limit);
}

}  // namespace skynet::testing::chaos

#include "traffic.hpp"

#include "skynet/bus/bson.hpp"

namespace skynet::testing {

namespace {
constexpr std::size_t failures_kept = 5;
}  // namespace

traffic::traffic(client& c, traffic_options options)
    : client_(c),
      options_(std::move(options)),
      give_up_at_(std::chrono::steady_clock::now() + options_.max_duration) {
    for (int i = 0; i < options_.callers; ++i) {
        callers_.emplace_back([this] { call_until_stopped(); });
    }
}

traffic::~traffic() {
    stop();
}

void traffic::stop() {
    stopping_ = true;
    for (auto& caller : callers_) {
        if (caller.joinable()) {
            caller.join();
        }
    }
}

std::string traffic::failures() const {
    std::lock_guard lock(failures_mutex_);
    std::string out;
    for (const auto& f : failures_) {
        out += f + "\n";
    }
    return out;
}

void traffic::note_duration(std::chrono::steady_clock::duration took) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
    auto seen = slowest_ms_.load();
    while (ms > seen && !slowest_ms_.compare_exchange_weak(seen, ms)) {
    }
}

void traffic::call_until_stopped() {
    bus::bson_doc params;
    params.add_int64("ms", options_.sleep_ms);
    call_options call;
    call.idempotent = true;  // what lets the broker run it again elsewhere
    call.timeout = options_.call_timeout;
    while (!stopping_ && std::chrono::steady_clock::now() < give_up_at_) {
        if (sent_.fetch_add(1) >= options_.max_calls) {
            sent_.fetch_sub(1);
            return;
        }
        const auto started = std::chrono::steady_clock::now();
        auto outcome = client_.call(options_.service, options_.method, params.view(), call);
        note_duration(std::chrono::steady_clock::now() - started);
        if (outcome) {
            succeeded_.fetch_add(1);
            continue;
        }
        failed_.fetch_add(1);
        std::lock_guard lock(failures_mutex_);
        if (failures_.size() < failures_kept) {
            failures_.push_back(std::string(bus::to_string(outcome.code())) + ": " +
                                outcome.err().detail);
        }
    }
}

}  // namespace skynet::testing

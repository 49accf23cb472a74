#include "paced_load.hpp"

namespace skynet::bench {

std::uint64_t paced_tally::failed() const noexcept {
    std::uint64_t n = unanswered;
    for (std::size_t code = 1; code < outcomes.size(); ++code) {
        n += outcomes[code];
    }
    return n;
}

std::string paced_tally::failures() const {
    std::string text;
    for (std::size_t code = 1; code < outcomes.size(); ++code) {
        if (outcomes[code] != 0) {
            text.append(text.empty() ? "" : " ")
                .append(bus::to_string(static_cast<bus::errc>(code)))
                .append("=")
                .append(std::to_string(outcomes[code]));
        }
    }
    if (unanswered != 0) {
        text.append(text.empty() ? "" : " ")
            .append("UNANSWERED=")
            .append(std::to_string(unanswered));
    }
    return text.empty() ? "none" : text;
}

void paced_load::shared_state::failed(std::chrono::steady_clock::time_point sent) {
    std::lock_guard lock(mutex);
    if (!failures.first_failed_sent || sent < *failures.first_failed_sent) {
        failures.first_failed_sent = sent;
    }
    if (!failures.last_failed_sent || sent > *failures.last_failed_sent) {
        failures.last_failed_sent = sent;
    }
    failures.last_failed_end = std::chrono::steady_clock::now();
}

paced_load::paced_load(client_options client, call_options call, const std::string& service,
                       int rate)
    : client_(std::make_unique<skynet::client>(std::move(client))),
      call_(std::move(call)),
      service_(service) {
    params_.add_string("data", std::string(100, 'x'));
    thread_ = std::thread([this, rate] { pace(rate); });
}

paced_load::~paced_load() {
    stop(std::chrono::milliseconds(0));
}

// Every millisecond, as many calls as bring the count to `rate` a second
// since the start: a late wake-up catches up instead of lowering the rate.
void paced_load::pace(int rate) {
    const auto start = std::chrono::steady_clock::now();
    while (!stopping_.load()) {
        const auto elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
        const auto due = static_cast<std::uint64_t>(elapsed.count() * rate);
        for (; sent_ < due; ++sent_) {
            shared_->outstanding.fetch_add(1);
            client_->call_async(
                service_, "echo", params_.view(), call_, [state = shared_](call_result r) {
                    if (!state->closed.load()) {
                        state->outcomes[static_cast<std::size_t>(r.code())].fetch_add(1);
                        state->outstanding.fetch_sub(1);
                    }
                });
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

paced_tally paced_load::stop(std::chrono::milliseconds drain) {
    if (stopped_) {
        return tally_;
    }
    stopped_ = true;
    stopping_ = true;
    thread_.join();
    const auto deadline = std::chrono::steady_clock::now() + drain;
    while (shared_->outstanding.load() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    shared_->closed = true;
    {
        std::lock_guard lock(shared_->mutex);
        tally_ = shared_->failures;
    }
    tally_.sent = sent_;
    tally_.unanswered = shared_->outstanding.load();
    for (std::size_t code = 0; code < tally_.outcomes.size(); ++code) {
        tally_.outcomes[code] = shared_->outcomes[code].load();
    }
    client_.reset();  // ends what is left with UNAVAILABLE, no longer counted
    return tally_;
}

}  // namespace skynet::bench

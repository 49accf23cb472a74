// The broker's steady state allocates nothing per message (issue: the hot
// path). This binary replaces operator new with a counting one; the count is
// per thread, and the test reads the broker thread's.
#include <execinfo.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "scrape.hpp"
#include "skynet/broker/broker.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/echo_worker.hpp"
#include "support/eventually.hpp"

namespace {

thread_local std::uint64_t allocations_here = 0;

// Where the first allocations of a measured window came from, so that a
// failure names its cause: the broker thread records while `tracing` is on.
struct allocation_trace {
    std::array<void*, 24> frames{};
    int depth = 0;
};
constexpr int traces_kept = 6;
std::array<allocation_trace, traces_kept> traces;
std::atomic<int> traces_taken{0};
std::atomic<bool> tracing{false};
thread_local bool traced_thread = false;

void record_where() noexcept {
    if (!traced_thread || !tracing.load(std::memory_order_relaxed)) {
        return;
    }
    const int i = traces_taken.fetch_add(1, std::memory_order_relaxed);
    if (i < traces_kept) {
        // backtrace() may malloc, never operator new: no recursion.
        traces[i].depth = backtrace(traces[i].frames.data(), traces[i].frames.size());
    }
}

}  // namespace

// GCC sees free() on what it takes for operator new's pointer and warns; here
// both sides are ours, on malloc.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {

void* counted_malloc(std::size_t size) noexcept {
    ++allocations_here;
    record_where();
    return std::malloc(size == 0 ? 1 : size);
}

void* counted_or_throw(std::size_t size) {
    if (void* p = counted_malloc(size)) {
        return p;
    }
    throw std::bad_alloc();
}

}  // namespace

// Every non-aligned form, so that no allocation (ours or libzmq's) reaches a
// delete of another family: the sanitizers check that.
void* operator new(std::size_t size) {
    return counted_or_throw(size);
}
void* operator new[](std::size_t size) {
    return counted_or_throw(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return counted_malloc(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return counted_malloc(size);
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// Runs the broker on a thread whose allocation count the test can read.
class counted_broker {
public:
    explicit counted_broker(bool metrics) {
        auto options = fast_broker_options();
        if (metrics) {
            options.metrics_listen = "127.0.0.1:0";
        }
        broker_ = std::make_unique<broker>(options, context_);
        thread_ = std::thread([this] {
            traced_thread = true;
            counter_.store(&allocations_here);
            broker_->run();
        });
        eventually([&] { return counter_.load() != nullptr; });
    }
    ~counted_broker() {
        broker_->stop();
        thread_.join();
    }
    std::string endpoint() const { return broker_->endpoint(); }
    std::string metrics() const { return broker_->metrics_address(); }
    broker_stats stats() const { return broker_->stats(); }
    // Read while the broker runs: a torn read is impossible on x86-64 for an
    // aligned 64-bit word, and the figure is compared, not summed.
    std::uint64_t allocations() const { return *counter_.load(); }
    // Counts from here on, recording where the first few happen.
    std::uint64_t start_measuring() {
        void* warm[1];
        backtrace(warm, 1);  // loads the unwinder now, not inside a count
        traces_taken = 0;
        tracing = true;
        return allocations();
    }
    std::uint64_t stop_measuring(std::uint64_t since) {
        tracing = false;
        return allocations() - since;
    }

private:
    zmq::context_t context_{1};
    std::unique_ptr<broker> broker_;
    std::atomic<std::uint64_t*> counter_{nullptr};
    std::thread thread_;
};

// The recorded stacks, for a failure message (symbols need the binary's
// exported names or a symbolizer; the offsets alone still locate them).
void print_where_allocated() {
    const int taken = std::min(traces_taken.load(), traces_kept);
    for (int i = 0; i < taken; ++i) {
        std::fprintf(stderr, "-- broker allocation %d of the measured window:\n", i + 1);
        backtrace_symbols_fd(traces[i].frames.data(), traces[i].depth, 2);
    }
}

// Calls in flight in the measured runs, against a worker credit of 256.
constexpr int measured_window = 500;
constexpr std::uint32_t worker_credit = 256;
// Timers run now and then (a few allocations each at most); a per-message
// allocation would show as thousands.
constexpr std::uint64_t allowed_in_window = 50;

// An echo whose answers the test can hold back, so that the broker's queue
// fills to a depth the test chooses rather than one the scheduler chose.
class holdable_echo {
public:
    void serve(worker& w) {
        w.handle_async("Echo", [this](responder r) {
            std::unique_lock lock(mutex_);
            if (holding_) {
                held_.push_back(std::move(r));
                return;
            }
            lock.unlock();
            answer(r);
        });
    }
    void hold() {
        std::lock_guard lock(mutex_);
        holding_ = true;
    }
    void release() {
        std::vector<responder> held;
        {
            std::lock_guard lock(mutex_);
            holding_ = false;
            held.swap(held_);
        }
        for (auto& r : held) {
            answer(r);
        }
    }

private:
    static void answer(responder& r) { r.reply(bus::bson_doc::copy_of(r.request().params())); }

    std::mutex mutex_;
    bool holding_ = false;
    std::vector<responder> held_;
};

bus::bson_doc payload() {
    bus::bson_doc params;
    params.add_string("payload", std::string(100, 'x'));
    return params;
}

// Sends `count` calls with up to `window` in flight, calling `sent_all`
// once every call is sent; true if all succeeded.
template <class SentAll>
bool pump(client& c, int count, int window, SentAll&& sent_all) {
    std::atomic<int> done{0};
    std::atomic<int> failed{0};
    const auto params = payload();
    int sent = 0;
    while (sent < count) {
        if (sent - done.load() >= window) {
            std::this_thread::yield();
            continue;
        }
        c.call_async("counted", "Echo", params.view(), {}, [&](call_result r) {
            if (!r) {
                ++failed;
            }
            ++done;
        });
        ++sent;
    }
    sent_all();
    eventually([&] { return done.load() == count; });
    return done.load() == count && failed.load() == 0;
}

bool pump(client& c, int count, int window) {
    return pump(c, count, window, [] {});
}

// The calls /metrics counts as answered OK for "counted"; 0 without metrics.
double scraped_ok(const counted_broker& broker) {
    if (broker.metrics().empty()) {
        return 0;
    }
    const auto s = scrape(broker.metrics());
    EXPECT_EQ(s.status, 200);
    return s.value(R"(skynet_broker_requests_total{service="counted",code="OK"})");
}

// Runs the broker with one client and one worker, batching or not, with
// metrics or not, warms it up, and counts the broker thread's allocations
// over 20,000 calls. With metrics, a scrape before and after (a scrape
// allocates on the broker thread: it copies the tables) shows that every
// call was counted in its service's cells.
void expect_none_per_message(bool batching, bool metrics = false) {
    counted_broker broker(metrics);
    auto client_options = fast_client_options(broker.endpoint());
    client_options.batching = batching;
    client c(client_options);
    auto options = fast_worker_options("counted", broker.endpoint());
    options.credit = worker_credit;
    options.batching = batching;
    holdable_echo echo;
    worker w(options);
    echo.serve(w);
    w.start();
    ASSERT_TRUE(wait_for_service(c, "counted"));

    // Warm-up: tables, queues and buffers reach their working size. The
    // worker holds its answers until the broker has queued twice the
    // measured window beyond its credit: the measured run queues at most
    // (window - credit) requests, or the whole window while a worker that
    // went quiet is set aside, so its queue never outgrows this one.
    echo.hold();
    const int queued_in_warm_up = 2 * measured_window;
    const int warm_up_calls = queued_in_warm_up + static_cast<int>(worker_credit);
    ASSERT_TRUE(pump(c, warm_up_calls, warm_up_calls, [&] {
        EXPECT_TRUE(eventually([&] {
            const auto s = broker.stats();
            return s.queued == static_cast<std::uint64_t>(queued_in_warm_up) &&
                   s.in_flight == worker_credit;
        })) << "queued "
            << broker.stats().queued << ", held " << broker.stats().in_flight;
        echo.release();
    }));
    ASSERT_TRUE(pump(c, 5000, measured_window));  // and the steady state's own

    const double ok_before = scraped_ok(broker);
    const auto before = broker.start_measuring();
    ASSERT_GT(before, 0u) << "the counter does not see the broker thread";
    constexpr int messages = 20000;
    ASSERT_TRUE(pump(c, messages, measured_window));
    const auto during = broker.stop_measuring(before);
    if (metrics) {
        EXPECT_EQ(scraped_ok(broker) - ok_before, messages);
    }
    ::testing::Test::RecordProperty("allocations", static_cast<int>(during));
    EXPECT_LT(during, allowed_in_window)
        << during << " allocations for " << messages << " requests";
    if (during >= allowed_in_window) {
        print_where_allocated();
    }
}

TEST(BrokerAllocations, NonePerMessageInSteadyState) {
    expect_none_per_message(true);
}

// The same without batch frames: plain 7/MDP frames both ways, each
// request's frames moved or shared (the header edited in place), never
// copied.
TEST(BrokerAllocations, NonePerPlainMessageInSteadyState) {
    expect_none_per_message(false);
}

// With /metrics served: the per-service cells are plain counters in the
// service's entry, so the per-message path is the same.
TEST(BrokerAllocations, NonePerMessageWithMetricsOn) {
    expect_none_per_message(true, true);
}

}  // namespace
}  // namespace skynet::testing

// The broker's steady state allocates nothing per message (issue: the hot
// path). This binary replaces operator new with a counting one; the count is
// per thread, and the test reads the broker thread's.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <thread>

#include "skynet/broker/broker.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/echo_worker.hpp"
#include "support/eventually.hpp"

namespace {

thread_local std::uint64_t allocations_here = 0;

}  // namespace

// GCC sees free() on what it takes for operator new's pointer and warns; here
// both sides are ours, on malloc.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {

void* counted_malloc(std::size_t size) noexcept {
    ++allocations_here;
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
    counted_broker() {
        auto options = fast_broker_options();
        broker_ = std::make_unique<broker>(options, context_);
        thread_ = std::thread([this] {
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
    // Read while the broker runs: a torn read is impossible on x86-64 for an
    // aligned 64-bit word, and the figure is compared, not summed.
    std::uint64_t allocations() const { return *counter_.load(); }

private:
    zmq::context_t context_{1};
    std::unique_ptr<broker> broker_;
    std::atomic<std::uint64_t*> counter_{nullptr};
    std::thread thread_;
};

// Sends `count` calls with up to `window` in flight; true if all succeeded.
bool pump(client& c, int count, int window) {
    std::atomic<int> done{0};
    std::atomic<int> failed{0};
    bus::bson_doc params;
    params.add_string("payload", std::string(100, 'x'));
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
    eventually([&] { return done.load() == count; });
    return done.load() == count && failed.load() == 0;
}

TEST(BrokerAllocations, NonePerMessageInSteadyState) {
    counted_broker broker;
    client c(fast_client_options(broker.endpoint()));
    auto options = fast_worker_options("counted", broker.endpoint());
    options.credit = 256;
    auto w = start_echo_worker(options);
    ASSERT_TRUE(wait_for_service(c, "counted"));

    // Warm-up: tables, queues and buffers reach their working size.
    ASSERT_TRUE(pump(c, 5000, 500));
    const auto before = broker.allocations();
    ASSERT_GT(before, 0u) << "the counter does not see the broker thread";
    constexpr int messages = 20000;
    ASSERT_TRUE(pump(c, messages, 500));
    const auto during = broker.allocations() - before;
    // Timers run now and then (a few allocations each at most); a per-message
    // allocation would show as thousands.
    RecordProperty("allocations", static_cast<int>(during));
    EXPECT_LT(during, 50u) << during << " allocations for " << messages << " requests";
}

}  // namespace
}  // namespace skynet::testing

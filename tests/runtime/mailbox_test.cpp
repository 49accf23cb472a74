// The wake-up fd and the mailbox: a producer wakes the consumer's poll once
// per batch, nothing is lost or reordered between threads, and a closed box
// refuses what comes after.
#include "skynet/runtime/mailbox.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <thread>
#include <type_traits>
#include <vector>

#include "skynet/runtime/event_fd.hpp"

using skynet::runtime::event_fd;
using skynet::runtime::mailbox;

static_assert(!std::is_copy_constructible_v<event_fd>);
static_assert(std::is_nothrow_move_constructible_v<event_fd>);
static_assert(std::is_nothrow_move_assignable_v<event_fd>);

namespace {

// True if `fd` is readable now (no waiting).
bool readable(int fd, int wait_ms = 0) {
    pollfd item{fd, POLLIN, 0};
    return ::poll(&item, 1, wait_ms) == 1 && (item.revents & POLLIN) != 0;
}

}  // namespace

TEST(EventFd, ReadableFromSignalUntilDrained) {
    event_fd wake;
    EXPECT_FALSE(readable(wake.fd()));
    EXPECT_FALSE(wake.drain());  // nothing to take: no blocking, no change
    wake.signal();
    wake.signal();
    EXPECT_TRUE(readable(wake.fd()));
    EXPECT_TRUE(wake.drain());  // both signals in one read
    EXPECT_FALSE(readable(wake.fd()));
}

TEST(EventFd, AMovedOwnerTakesTheFdAlong) {
    event_fd first;
    const int fd = first.fd();
    event_fd second(std::move(first));
    EXPECT_EQ(second.fd(), fd);
    second.signal();
    EXPECT_TRUE(readable(fd));
    auto item = second.poll_item();
    EXPECT_EQ(item.fd, fd);
    EXPECT_EQ(item.socket, nullptr);
    EXPECT_EQ(item.events, ZMQ_POLLIN);
}

TEST(Mailbox, WakesOnceForABatchAndHandsItOverInOrder) {
    mailbox<int> box;
    EXPECT_FALSE(readable(box.fd()));
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(box.push(int{i}));
    }
    EXPECT_TRUE(readable(box.fd()));
    std::vector<int> out{42};  // cleared by take_all
    box.take_all(out);
    EXPECT_EQ(out, (std::vector<int>{0, 1, 2}));
    EXPECT_FALSE(readable(box.fd()));  // taken: no wake-up left behind
    box.take_all(out);
    EXPECT_TRUE(out.empty());
}

TEST(Mailbox, EveryPushFromManyThreadsArrivesInEachThreadsOrder) {
    constexpr int producers = 4;
    constexpr int each = 5000;
    mailbox<std::pair<int, int>> box;
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p) {
        threads.emplace_back([&box, p] {
            for (int i = 0; i < each; ++i) {
                box.push({p, i});
            }
        });
    }
    std::vector<int> next(producers, 0);
    std::vector<std::pair<int, int>> taken;
    int received = 0;
    while (received < producers * each) {
        // The consumer's loop: it waits for the fd, as a zmq::poll loop would.
        ASSERT_TRUE(readable(box.fd(), 15000)) << "no wake-up after " << received;
        box.take_all(taken);
        for (auto [p, i] : taken) {
            ASSERT_EQ(i, next[p]) << "producer " << p;
            ++next[p];
        }
        received += static_cast<int>(taken.size());
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(next, std::vector<int>(producers, each));
}

TEST(Mailbox, AClosedBoxDropsWhatWaitsAndRefusesMore) {
    mailbox<std::string> box;
    ASSERT_TRUE(box.push("before"));
    box.close();
    EXPECT_FALSE(box.push("after"));
    std::vector<std::string> out;
    box.take_all(out);
    EXPECT_TRUE(out.empty());
}

TEST(Mailbox, AnOwnerHoldingTheLockDecidesWhoIsWoken) {
    mailbox<int> box;
    {
        auto lock = box.lock();
        EXPECT_TRUE(box.empty(lock));
        EXPECT_TRUE(box.push(lock, 1));   // was empty
        EXPECT_FALSE(box.push(lock, 2));  // was not
        EXPECT_FALSE(box.empty(lock));
    }
    EXPECT_FALSE(readable(box.fd()));  // the owner has not woken anyone
    box.wake();
    EXPECT_TRUE(readable(box.fd()));
    std::vector<int> out;
    {
        auto lock = box.lock();
        box.take_all(lock, out);
    }
    EXPECT_EQ(out, (std::vector<int>{1, 2}));
    box.drain();
    EXPECT_FALSE(readable(box.fd()));
}

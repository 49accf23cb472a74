// systemd_notify: READY, STOPPING, STATUS and WATCHDOG reach the socket
// NOTIFY_SOCKET names (here a datagram socket of the test's own, as test
// machines may not run systemd), nothing is sent without one, and the
// watchdog interval is ours only when WATCHDOG_PID is our pid.
#include "skynet/runtime/systemd_notify.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// An AF_UNIX datagram socket in a temporary directory, named by
// NOTIFY_SOCKET while it lives, as systemd's own notify socket is.
class notify_socket {
public:
    notify_socket() {
        static int made = 0;
        dir_ = std::filesystem::temp_directory_path() /
               ("skynet-notify-" + std::to_string(::getpid()) + "-" + std::to_string(++made));
        std::filesystem::create_directories(dir_);
        const auto path = (dir_ / "notify").string();
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            throw std::runtime_error("cannot bind " + path);
        }
        ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
    }
    ~notify_socket() {
        ::unsetenv("NOTIFY_SOCKET");
        ::close(fd_);
        std::filesystem::remove_all(dir_);
    }
    notify_socket(const notify_socket&) = delete;
    notify_socket& operator=(const notify_socket&) = delete;

    // The next datagram, or nothing within a generous wait.
    std::optional<std::string> receive() const {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 15000) != 1) {
            return std::nullopt;
        }
        char buffer[4096];
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        return n < 0 ? std::nullopt : std::optional<std::string>(std::string(buffer, n));
    }

private:
    std::filesystem::path dir_;
    int fd_ = -1;
};

TEST(SystemdNotifyTest, StatesReachTheNotifySocket) {
    notify_socket socket;
    EXPECT_TRUE(runtime::notify_ready());
    EXPECT_EQ(socket.receive(), "READY=1");
    EXPECT_TRUE(runtime::notify_watchdog());
    EXPECT_EQ(socket.receive(), "WATCHDOG=1");
    EXPECT_TRUE(runtime::notify_stopping());
    EXPECT_EQ(socket.receive(), "STOPPING=1");
}

TEST(SystemdNotifyTest, StatusIsOneLine) {
    notify_socket socket;
    EXPECT_TRUE(runtime::notify_status("3 processes\nrunning"));
    EXPECT_EQ(socket.receive(), "STATUS=3 processes running");
}

TEST(SystemdNotifyTest, WithoutNotifySocketNothingIsSent) {
    ::unsetenv("NOTIFY_SOCKET");
    EXPECT_FALSE(runtime::notify_ready());
    EXPECT_FALSE(runtime::notify_status("idle"));
    EXPECT_FALSE(runtime::notify_watchdog());
    EXPECT_FALSE(runtime::notify_stopping());
}

TEST(SystemdNotifyTest, ASocketThatIsGoneFailsWithoutThrowing) {
    ::setenv("NOTIFY_SOCKET", "/nonexistent-skynet-dir/notify", 1);
    EXPECT_FALSE(runtime::notify_ready());
    EXPECT_FALSE(runtime::notify_watchdog());  // the second failure too
    ::unsetenv("NOTIFY_SOCKET");
}

TEST(SystemdNotifyTest, WatchdogIntervalIsOursOnly) {
    ::setenv("WATCHDOG_USEC", "3000000", 1);
    ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
    EXPECT_EQ(runtime::watchdog_interval(), std::chrono::microseconds(3s));
    ::unsetenv("WATCHDOG_PID");  // unset: meant for whoever reads it
    EXPECT_EQ(runtime::watchdog_interval(), std::chrono::microseconds(3s));
    ::setenv("WATCHDOG_PID", std::to_string(::getppid()).c_str(), 1);  // another process's
    EXPECT_EQ(runtime::watchdog_interval(), std::nullopt);
    ::unsetenv("WATCHDOG_PID");
    ::unsetenv("WATCHDOG_USEC");
    EXPECT_EQ(runtime::watchdog_interval(), std::nullopt);
}

}  // namespace
}  // namespace skynet::testing

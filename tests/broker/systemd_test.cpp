// skynet-broker under systemd (Type=notify), with a notify socket of the
// test's own: READY=1 once it serves, WATCHDOG=1 pings while its loop runs
// when a watchdog is asked for, STOPPING=1 on SIGTERM, and no READY=1 from a
// broker that could not bind.
#include <signal.h>
#include <stdlib.h>

#include <string>

#include "support/eventually.hpp"
#include "support/notify_socket.hpp"
#include "support/process.hpp"
#include "support/scratch_dir.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

std::size_t count_of(const std::string& text, const std::string& word) {
    std::size_t n = 0;
    for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
        ++n;
    }
    return n;
}

// The environment systemd would give the broker, for the child started while
// it lives (the child inherits it; nothing else of the test reads it).
class systemd_environment {
public:
    systemd_environment(const notify_socket& socket, const char* watchdog_usec) {
        ::setenv("NOTIFY_SOCKET", socket.path().c_str(), 1);
        ::setenv("WATCHDOG_USEC", watchdog_usec, 1);
    }
    ~systemd_environment() {
        ::unsetenv("NOTIFY_SOCKET");
        ::unsetenv("WATCHDOG_USEC");
    }
    systemd_environment(const systemd_environment&) = delete;
    systemd_environment& operator=(const systemd_environment&) = delete;
};

TEST(BrokerSystemdTest, ReadyThenWatchdogPingsThenStoppingOnSigterm) {
    scratch_dir dir("broker-systemd");
    notify_socket socket(dir / "notify.sock");
    std::unique_ptr<child_process> broker;
    {
        systemd_environment env(socket, "400000");
        broker = std::make_unique<child_process>(
            "skynet-broker", std::vector<std::string>{"--bind", loopback_endpoint(free_port())});
    }
    std::string got;
    EXPECT_TRUE(eventually(
        [&] {
            got += socket.receive();
            return count_of(got, "READY=1") == 1 && count_of(got, "WATCHDOG=1") >= 2;
        },
        30s))
        << got << broker->stderr_text();
    EXPECT_LT(got.find("READY=1"), got.find("WATCHDOG=1")) << got;
    EXPECT_EQ(count_of(got, "STOPPING=1"), 0u) << got;
    broker->signal(SIGTERM);
    EXPECT_EQ(broker->wait_exit(30s), 0) << broker->stderr_text();
    got += socket.receive();
    EXPECT_EQ(count_of(got, "STOPPING=1"), 1u) << got;
    EXPECT_EQ(count_of(got, "READY=1"), 1u) << got;
}

TEST(BrokerSystemdTest, ABrokerThatCannotBindIsNeverReady) {
    scratch_dir dir("broker-systemd");
    notify_socket socket(dir / "notify.sock");
    const auto endpoint = loopback_endpoint(free_port());
    child_process first("skynet-broker", {"--bind", endpoint});
    ASSERT_TRUE(eventually([&] {
        return first.stderr_text().find("listening") != std::string::npos;
    })) << first.stderr_text();
    std::optional<int> status;
    {
        systemd_environment env(socket, "400000");
        child_process second("skynet-broker", {"--bind", endpoint});
        status = second.wait_exit(30s);
    }
    EXPECT_EQ(status, 1);
    EXPECT_EQ(socket.receive(), "");
}

}  // namespace
}  // namespace skynet::testing

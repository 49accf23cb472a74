// skynet-broker under systemd (Type=notify), with a notify socket of the
// test's own: READY=1 once it serves, WATCHDOG=1 pings while its loop runs
// when a watchdog is asked for, STOPPING=1 on SIGTERM, and no READY=1 from a
// broker that could not bind.
#include <signal.h>

#include <string>

#include "support/eventually.hpp"
#include "support/notify_socket.hpp"
#include "support/process.hpp"
#include "support/scratch_dir.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

TEST(BrokerSystemdTest, ReadyThenWatchdogPingsThenStoppingOnSigterm) {
    scratch_dir dir("broker-systemd");
    notify_socket socket(dir / "notify.sock");
    auto broker = start_notifying(socket, "skynet-broker",
                                  {"--bind", loopback_endpoint(free_port())}, "400000");
    auto got = socket.receive_until(
        [](const std::string& s) {
            return count_of(s, "READY=1") == 1 && count_of(s, "WATCHDOG=1") >= 2;
        },
        30s);
    EXPECT_TRUE(count_of(got, "READY=1") == 1 && count_of(got, "WATCHDOG=1") >= 2)
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
        notify_environment env(socket, "400000");
        child_process second("skynet-broker", {"--bind", endpoint});
        status = second.wait_exit(30s);
    }
    EXPECT_EQ(status, 1);
    EXPECT_EQ(socket.receive(), "");
}

}  // namespace
}  // namespace skynet::testing

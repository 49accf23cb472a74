// A service made with run_service under systemd (the skynet-service@ unit,
// Type=notify), with a notify socket of the test's own: READY=1 once it
// serves, STOPPING=1 when SIGTERM starts its drain, and never READY=1 from a
// service whose options it refuses.
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <optional>
#include <string>

#include "support/eventually.hpp"
#include "support/notify_socket.hpp"
#include "support/process.hpp"
#include "support/scratch_dir.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

TEST(ServiceSystemdTest, ReadyOnceServingThenStoppingOnSigterm) {
    scratch_dir dir("service-systemd");
    notify_socket socket(dir / "notify.sock");
    auto service =
        start_notifying(socket, "readme-service", {"--broker", loopback_endpoint(free_port())});
    auto got =
        socket.receive_until([](const std::string& s) { return count_of(s, "READY=1") == 1; }, 30s);
    EXPECT_EQ(count_of(got, "READY=1"), 1u) << got << service->stderr_text();
    EXPECT_EQ(count_of(got, "STOPPING=1"), 0u) << got;
    service->signal(SIGTERM);
    EXPECT_EQ(service->wait_exit(30s), 0) << service->stderr_text();
    got += socket.receive();
    EXPECT_GE(count_of(got, "STOPPING=1"), 1u) << got;
    EXPECT_LT(got.find("READY=1"), got.find("STOPPING=1")) << got;
    EXPECT_EQ(count_of(got, "READY=1"), 1u) << got;
}

TEST(ServiceSystemdTest, AServiceWhoseOptionsAreRefusedIsNeverReady) {
    scratch_dir dir("service-systemd");
    notify_socket socket(dir / "notify.sock");
    std::optional<int> status;
    {
        notify_environment env(socket, "0");
        child_process service("readme-service", {"--broker", "not-an-endpoint"});
        status = service.wait_exit(30s);
    }
    EXPECT_EQ(status, 2);
    EXPECT_EQ(socket.receive(), "");
}

}  // namespace
}  // namespace skynet::testing

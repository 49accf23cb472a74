// A worker given its instance id (by a host daemon, issue 15) uses it; one
// that would break routing ids or key names is refused with the option named.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "skynet/worker/worker.hpp"

namespace skynet::testing {
namespace {

worker_options with_id(std::string id) {
    worker_options o;
    o.service = "checked";
    o.brokers = {"tcp://127.0.0.1:5555"};
    o.instance_id = std::move(id);
    return o;
}

TEST(WorkerInstanceId, AGivenIdIsUsed) {
    worker w(with_id("svc-h1-0123456789ab"));
    EXPECT_EQ(w.instance_id(), "svc-h1-0123456789ab");
    worker fresh(with_id(""));
    EXPECT_EQ(fresh.instance_id().rfind("worker-", 0), 0U) << fresh.instance_id();
}

TEST(WorkerInstanceId, AnIdThatCannotBeARoutingIdIsRefused) {
    for (const std::string& bad : {std::string("a/b"), std::string("two words"),
                                   std::string("tab\there"), std::string(129, 'x')}) {
        try {
            worker w(with_id(bad));
            ADD_FAILURE() << "accepted " << bad;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("instance_id"), std::string::npos) << e.what();
        }
    }
}

}  // namespace
}  // namespace skynet::testing

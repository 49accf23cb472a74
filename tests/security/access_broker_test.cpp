// The broker's access control on real sockets, with peers that bring no key
// (no CURVE): under access rules they are nobody, so a READY gets DISCONNECT
// and a request UNAUTHORIZED; set_access() (what SIGHUP calls) lets them in
// or cuts them off at their next message.
#include <gtest/gtest.h>

#include "skynet/security/access_rules.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/plain_mdp.hpp"

namespace skynet::testing {
namespace {

std::shared_ptr<const broker_access> rules(const char* text) {
    auto access = std::make_shared<broker_access>();
    access->rules =
        std::make_shared<const security::access_rules>(security::access_rules::parse(text));
    return access;
}

broker_options guarded(std::shared_ptr<const broker_access> access) {
    auto options = fast_broker_options();
    options.access = std::move(access);
    return options;
}

TEST(AccessBroker, KeylessWorkerIsDisconnectedAndNeverServes) {
    running_broker broker(guarded(rules("allow * offer *\nallow * call *\n")));
    plain_worker w(broker.context(), broker.endpoint(), "billing");
    ASSERT_TRUE(eventually([&] { return broker.stats().offers_refused >= 1; }));
    EXPECT_EQ(broker.stats().workers, 0u);

    client c(fast_client_options(broker.endpoint()));
    call_options options;
    options.timeout = std::chrono::seconds(5);
    auto outcome = c.call("billing", "Charge", bus::bson_view{}, options);
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.code(), bus::errc::unauthorized);
    EXPECT_NE(outcome.err().detail.find("'billing'"), std::string::npos) << outcome.err().detail;
    EXPECT_GE(broker.stats().unauthorized, 1u);
    EXPECT_EQ(w.requests(), 0);
}

TEST(AccessBroker, ReloadLetsInAndCutsOffAtTheNextMessage) {
    running_broker broker(guarded(rules("allow ops offer *\n")));
    plain_worker turned_away(broker.context(), broker.endpoint(), "echo");
    ASSERT_TRUE(eventually([&] { return broker.stats().offers_refused >= 1; }));
    EXPECT_EQ(broker.stats().workers, 0u);

    broker.server().set_access(nullptr);  // no access control: plain 7/MDP again
    plain_worker admitted(broker.context(), broker.endpoint(), "echo");
    ASSERT_TRUE(eventually([&] { return broker.stats().workers == 1; }));
    plain_client pc(broker.context(), broker.endpoint());
    auto reply = pc.request("echo", {"hi"}, std::chrono::seconds(5));
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->at(0), "plain:hi");

    const auto refused = broker.stats().offers_refused;
    broker.server().set_access(rules("allow ops offer *\n"));
    // The admitted worker's next heartbeat is checked under the new rules.
    EXPECT_TRUE(eventually([&] { return broker.stats().offers_refused > refused; }));
    EXPECT_TRUE(eventually([&] { return broker.stats().workers == 0; }));
}

}  // namespace
}  // namespace skynet::testing

// skynet::sky as a library, linked without the CLI (and without libedit), as
// the dashboard and the host daemon link it: the views and their JSON from
// records in a real registry, and the JSON the CLI prints is the same.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sky_fixture.hpp"
#include "skynet/sky/steering.hpp"
#include "skynet/sky/topology.hpp"
#include "skynet/sky/views.hpp"

namespace skynet::testing {
namespace {

using nlohmann::json;

class SkyLibraryTest : public SkyTest {
protected:
    std::vector<registry::instance> all(const sky::filters& f = {}) const {
        auto found = connect().find(f.to_query());
        EXPECT_TRUE(found.ok());
        auto out = found ? *found : std::vector<registry::instance>{};
        sky::sort_for_listing(out);
        return out;
    }
};

TEST_F(SkyLibraryTest, ServicesViewCountsInstancesVersionsAndRegions) {
    put_cluster();
    auto services = sky::services_json(sky::by_service(all(sky::workers_of({}))));
    EXPECT_EQ(services, json::parse(R"([
        {"service": "echo", "versions": ["1.0"], "instances": 1, "registered": 1,
         "regions": ["us"]},
        {"service": "fibonacci", "versions": ["1.0", "1.1"], "instances": 2, "registered": 1,
         "regions": ["eu"]}])"));
}

TEST_F(SkyLibraryTest, ViewsGiveTheJsonTheCliPrints) {
    put_cluster();
    auto everything = all();
    EXPECT_EQ(sky::hosts_json(sky::by_host(everything)), json::parse(sky({"hosts", "--json"}).out));
    EXPECT_EQ(sky::topology_json(sky::build_topology(everything)),
              json::parse(sky({"topology", "--json"}).out));
    EXPECT_EQ(sky::instances_json(everything), json::parse(sky({"instances", "--json"}).out));
}

TEST_F(SkyLibraryTest, SteeringTargetsWorkersAndCountsWhoActed) {
    EXPECT_EQ(sky::targets_of(registry::command::unregister, {}).kind,
              registry::instance_kind::worker);
    EXPECT_FALSE(sky::targets_of(registry::command::stop, {}).kind);
    std::vector<registry::command_outcome> outcomes{
        {"a", registry::command_status::acted, ""},
        {"b", registry::command_status::failed, "no"},
        {"c", registry::command_status::not_listening, ""}};
    auto tally = sky::count_outcomes(outcomes);
    EXPECT_EQ(tally.acted, 1u);
    ASSERT_EQ(tally.failed.size(), 1u);
    EXPECT_EQ(tally.failed.front()->id, "b");
    EXPECT_EQ(tally.silent, std::vector<std::string>{"c"});
    EXPECT_FALSE(tally.all_acted());
}

}  // namespace
}  // namespace skynet::testing

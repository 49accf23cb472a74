// sky's listings on a known cluster: exact tables, --json, filters.

#include <nlohmann/json.hpp>

#include "sky_fixture.hpp"

namespace skynet::testing {
namespace {

using nlohmann::json;

TEST_F(SkyTest, ServicesVersionsMethods) {
    put_cluster();
    auto services = sky({"services"});
    EXPECT_EQ(services.status, 0) << services.err;
    EXPECT_EQ(services.out,
              "SERVICE    VERSIONS  INSTANCES  REGISTERED  REGIONS\n"
              "echo       1.0       1          1           us\n"
              "fibonacci  1.0, 1.1  2          1           eu\n");
    auto versions = sky({"versions", "--service", "fibonacci"});
    EXPECT_EQ(versions.out,
              "SERVICE    VERSION  INSTANCES  REGISTERED\n"
              "fibonacci  1.0      1          1\n"
              "fibonacci  1.1      1          0\n");
    auto methods = sky({"methods"});
    EXPECT_EQ(methods.out,
              "SERVICE        METHODS\n"
              "echo@1.0       echo\n"
              "fibonacci@1.0  Index\n"
              "fibonacci@1.1  Index, Stats\n");
}

TEST_F(SkyTest, HostsRegionsInstances) {
    put_cluster();
    EXPECT_EQ(sky({"hosts"}).out,
              "HOST  REGIONS  BROKERS  WORKERS  INSTANCES\n"
              "h1    eu       1        1        2\n"
              "h2    eu       0        1        1\n"
              "h3    us       0        1        1\n");
    EXPECT_EQ(sky({"regions"}).out,
              "REGION  HOSTS  BROKERS  WORKERS  INSTANCES\n"
              "eu      2      1        2        3\n"
              "us      1      0        1        1\n");
    EXPECT_EQ(
        sky({"instances", "--region", "eu"}).out,
        "ID  KIND    SERVICE        REGION  HOST  PID  STATE         REQUESTS  ERRORS  MANAGED BY\n"
        "b1  broker  -              eu      h1    100  registered    0         0       -\n"
        "f1  worker  fibonacci@1.0  eu      h1    100  registered    10        1       -\n"
        "f2  worker  fibonacci@1.1  eu      h2    100  unregistered  0         0       -\n");
}

TEST_F(SkyTest, FiltersNarrowEveryListing) {
    put_cluster();
    auto unregistered = sky({"--registered=no", "instances", "--json"});
    ASSERT_EQ(unregistered.status, 0) << unregistered.err;
    auto list = json::parse(unregistered.out);
    ASSERT_EQ(list.size(), 1U);
    EXPECT_EQ(list[0]["id"], "f2");
    auto on_h1 = json::parse(sky({"instances", "--host", "h1", "--kind", "worker", "--json"}).out);
    ASSERT_EQ(on_h1.size(), 1U);
    EXPECT_EQ(on_h1[0]["id"], "f1");
    EXPECT_EQ(on_h1[0]["stats"]["requests"], 10);
    EXPECT_EQ(on_h1[0]["methods"], json::array({"Index"}));
    auto versions = json::parse(sky({"versions", "--version", "1.1", "--json"}).out);
    EXPECT_EQ(versions, json::parse(R"([{"service":"fibonacci","version":"1.1",
                                        "instances":1,"registered":0}])"));
}

TEST_F(SkyTest, JsonForScripts) {
    put_cluster();
    auto services = json::parse(sky({"services", "--json"}).out);
    EXPECT_EQ(services, json::parse(R"([
        {"service":"echo","versions":["1.0"],"instances":1,"registered":1,"regions":["us"]},
        {"service":"fibonacci","versions":["1.0","1.1"],"instances":2,"registered":1,
         "regions":["eu"]}])"));
    auto regions = json::parse(sky({"regions", "--json"}).out);
    EXPECT_EQ(regions[0]["hosts"], json::array({"h1", "h2"}));
    auto hosts = json::parse(sky({"hosts", "--json"}).out);
    EXPECT_EQ(hosts.size(), 3U);
    auto methods = json::parse(sky({"methods", "--json", "--service", "fibonacci"}).out);
    EXPECT_EQ(methods[1]["methods"], json::array({"Index", "Stats"}));
}

TEST_F(SkyTest, TopologyIsATreeWithStateAndStats) {
    put_cluster();
    auto topology = sky({"topology"});
    ASSERT_EQ(topology.status, 0) << topology.err;
    EXPECT_EQ(topology.out,
              "eu\n"
              "  h1\n"
              "    broker b1  tcp://127.0.0.1:5555  serves fibonacci,fibonacci@1.0,fibonacci@1.1\n"
              "    fibonacci@1.0\n"
              "      f1  registered  requests=10 errors=1 avg=1.2ms p99=3.4ms last=never\n"
              "  h2\n"
              "    fibonacci@1.1\n"
              "      f2  unregistered  requests=0 errors=0 avg=0us p99=0us last=never\n"
              "us\n"
              "  h3\n"
              "    echo@1.0\n"
              "      e1  registered  requests=0 errors=0 avg=0us p99=0us last=never\n");
    auto tree = json::parse(sky({"topology", "--json", "--region", "eu"}).out);
    ASSERT_EQ(tree.size(), 1U);
    EXPECT_EQ(tree[0]["region"], "eu");
    EXPECT_EQ(tree[0]["hosts"][0]["brokers"][0]["id"], "b1");
    EXPECT_EQ(tree[0]["hosts"][0]["services"][0]["service"], "fibonacci@1.0");
    EXPECT_EQ(tree[0]["hosts"][0]["services"][0]["instances"][0]["stats"]["latency_p99_us"], 3400);
}

TEST_F(SkyTest, AnEmptyRegistryListsNothing) {
    auto services = sky({"services"});
    EXPECT_EQ(services.status, 0) << services.err;
    EXPECT_EQ(services.out, "SERVICE  VERSIONS  INSTANCES  REGISTERED  REGIONS\n");
    EXPECT_EQ(sky({"instances", "--json"}).out, "[]\n");
}

}  // namespace
}  // namespace skynet::testing

// sky watch: the current set first, then changes as they happen, until SIGINT.

#include <signal.h>

#include <nlohmann/json.hpp>

#include "sky_fixture.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

bool has(const child_process& p, const std::string& text) {
    return p.stdout_text().find(text) != std::string::npos;
}

TEST_F(SkyTest, WatchPrintsChangesUntilInterrupted) {
    put(worker_record("before", "echo", "1.0", "eu", "h1"));
    child_process watch("sky", {"--redis", redis_.url(), "watch", "--service", "echo"});
    ASSERT_TRUE(eventually([&] { return has(watch, "added before worker echo@1.0 eu/h1"); }))
        << watch.stdout_text() << watch.stderr_text();
    {
        registry::registrar later(options(), worker_record("later", "echo", "1.1", "us", "h2"));
        ASSERT_TRUE(eventually([&] { return has(watch, "added later worker echo@1.1 us/h2"); }));
        later.set_registered(false);
        ASSERT_TRUE(eventually([&] { return has(watch, "updated later"); }));
        EXPECT_TRUE(eventually([&] { return has(watch, "state=registered->unregistered"); }));
    }
    ASSERT_TRUE(eventually([&] { return has(watch, "removed later"); }));
    put(worker_record("other", "fibonacci", "1.0", "eu", "h1"));  // outside the filter
    watch.signal(SIGINT);
    EXPECT_EQ(watch.wait_exit(10s), 0);
    EXPECT_FALSE(has(watch, "other"));
}

TEST_F(SkyTest, WatchJsonIsOneObjectALine) {
    child_process watch("sky", {"--redis", redis_.url(), "watch", "--json"});
    put(worker_record("w1", "echo", "1.0", "eu", "h1"));
    ASSERT_TRUE(eventually([&] { return has(watch, "\n"); })) << watch.stderr_text();
    watch.signal(SIGTERM);
    EXPECT_EQ(watch.wait_exit(10s), 0);
    auto first = watch.stdout_text().substr(0, watch.stdout_text().find('\n'));
    auto event = nlohmann::json::parse(first);
    EXPECT_EQ(event["event"], "added");
    EXPECT_EQ(event["instance"]["id"], "w1");
}

TEST_F(SkyTest, WatchReportsAnUnreachableRegistry) {
    auto url = "redis://127.0.0.1:" + std::to_string(free_port());
    auto r = run_program("sky", {"--redis", url, "watch"}, 10s);
    EXPECT_EQ(r.status, 3);
    EXPECT_NE(r.err.find(url), std::string::npos);
}

}  // namespace
}  // namespace skynet::testing

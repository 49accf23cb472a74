// The outcome contract (docs/design.md) under chaos: two brokers, four workers
// and several clients under load, while workers are killed and frozen, a
// broker is killed, Redis restarts and finally every process restarts.
//
// SKYNET_CHAOS_SECONDS sets how long the chaos rounds last (default 60);
// SKYNET_CHAOS_SAMPLES names a file for memory and descriptor samples of
// every broker and worker, taken every SKYNET_CHAOS_SAMPLE_MS (default 2000).
// scripts/soak.sh uses both.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <mutex>
#include <optional>

#include "chaos_cluster.hpp"
#include "sampler.hpp"
#include "schedule.hpp"
#include "support/eventually.hpp"
#include "traffic.hpp"
#include "verdict.hpp"

namespace skynet::testing::chaos {
namespace {

using namespace std::chrono_literals;

long env_number(const char* name, long fallback) {
    const char* text = std::getenv(name);
    return text != nullptr && *text != '\0' ? std::strtol(text, nullptr, 10) : fallback;
}

std::filesystem::path scratch_dir() {
    auto dir =
        std::filesystem::temp_directory_path() / ("skynet-chaos-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir;
}

// Prints a line with the time since the test began, from any thread.
class narrator {
public:
    std::chrono::steady_clock::time_point start() const noexcept { return start_; }
    void operator()(const std::string& line) {
        std::chrono::duration<double> since = std::chrono::steady_clock::now() - start_;
        std::lock_guard lock(mutex_);
        std::cout << "[chaos +" << static_cast<int>(since.count()) << "s] " << line << std::endl;
    }

private:
    const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::mutex mutex_;
};

std::string describe(const chaos_counts& c) {
    return "rounds: " + std::to_string(c.rounds) +
           "\nworkers killed: " + std::to_string(c.worker_kills) +
           "\nworkers frozen: " + std::to_string(c.worker_freezes) +
           "\nbrokers killed: " + std::to_string(c.broker_kills) +
           "\nredis restarts: " + std::to_string(c.redis_restarts) +
           "\ngraceful restarts: " + std::to_string(c.graceful_restarts) +
           "\nslow recoveries: " + std::to_string(c.slow_recoveries) + "\n";
}

std::string describe(const traffic& t) {
    client_stats sum;
    for (const auto& l : t.lanes()) {
        auto s = l->stats();
        sum.attempts += s.attempts;
        sum.late_replies += s.late_replies;
        sum.brokers_lost += s.brokers_lost;
        sum.malformed += s.malformed;
    }
    return "client attempts: " + std::to_string(sum.attempts) +
           "\nclient late replies dropped: " + std::to_string(sum.late_replies) +
           "\nclient brokers lost: " + std::to_string(sum.brokers_lost) +
           "\nclient malformed: " + std::to_string(sum.malformed) + "\n";
}

// What one run found.
struct findings {
    verdict calls;
    bool settled = false;                    // every call had its outcome by its deadline
    std::size_t unsettled = 0;               // calls still silent then
    bool registry_ok = false;                // the registry matched the live processes
    std::string registry_state;              // what it held at the last look
    std::vector<std::string> unclean_exits;  // of gracefully restarted processes
};

void print_counts(const chaos_counts& chaos, const traffic& load, const findings& found) {
    std::cout << "---- chaos counts ----\n"
              << describe(chaos) << describe(found.calls) << describe(load)
              << "registry matches the live processes: " << (found.registry_ok ? "yes" : "no")
              << " (" << found.registry_state << ")\n"
              << "unclean exits after SIGTERM: " << found.unclean_exits.size() << "\n";
    for (const auto& e : found.unclean_exits) {
        std::cout << "  " << e << "\n";
    }
    std::cout << "----------------------" << std::endl;
}

// Traffic and chaos over a cluster that is up, then the checks; prints the counts.
findings run_scenario(cluster& c, narrator& note, std::chrono::seconds chaos_for) {
    std::optional<sampler> samples;
    if (const char* path = std::getenv("SKYNET_CHAOS_SAMPLES")) {
        samples.emplace(c, path,
                        std::chrono::milliseconds(env_number("SKYNET_CHAOS_SAMPLE_MS", 2000)));
    }
    traffic load(c.redis_url(), c.broker_endpoints(), note.start());
    note("traffic started; chaos for " + std::to_string(chaos_for.count()) + " s");
    schedule chaos(c, chaos_for, std::ref(note));
    chaos.join();
    load.stop();
    note("chaos over; waiting for every outcome");
    findings found;
    found.settled = load.settle(idempotent_timeout + 5s);  // never silence past a deadline
    found.unsettled = load.pending();
    // Within one lease of the end, plus the time a reader takes to prune.
    found.registry_ok =
        eventually([&] { return c.registry_matches(&found.registry_state); }, lease + 2s);

    std::vector<std::vector<call_record>> records;
    std::vector<std::filesystem::path> logs;
    for (const auto& l : load.lanes()) {
        records.push_back(l->records());
    }
    for (int i = 0; i < worker_count; ++i) {
        logs.push_back(c.worker_log(i));
    }
    found.calls = judge(records, logs);
    found.unclean_exits = c.unclean_exits();
    print_counts(chaos.counts(), load, found);
    return found;
}

void expect_contract_held(const findings& f) {
    const auto& v = f.calls;
    EXPECT_TRUE(f.settled) << f.unsettled << " calls had no outcome past their deadline";
    EXPECT_EQ(v.silent, 0u);
    EXPECT_EQ(v.duplicate_outcomes, 0u);
    EXPECT_EQ(v.wrong_replies, 0u);
    EXPECT_EQ(v.idempotent_ok, v.idempotent);
    EXPECT_EQ(v.plain_run_twice, 0u);
    EXPECT_EQ(v.ok_never_run, 0u);
    EXPECT_EQ(v.refused_but_ran, 0u);
    EXPECT_EQ(v.flag_mismatches, 0u);
    EXPECT_EQ(v.foreign_lines, 0u);
    EXPECT_TRUE(f.registry_ok) << f.registry_state;
    EXPECT_TRUE(f.unclean_exits.empty()) << f.unclean_exits.front();
    EXPECT_GT(v.by_code[0], 0u) << "no call succeeded at all";
}

TEST(Chaos, EveryCallEndsOnceUnderKillsFreezesAndRestarts) {
    const auto dir = scratch_dir();
    narrator note;
    {
        cluster c(dir);
        ASSERT_TRUE(eventually([&] { return c.ready(); }, 30s)) << "the cluster did not come up";
        auto found =
            run_scenario(c, note, std::chrono::seconds(env_number("SKYNET_CHAOS_SECONDS", 60)));
        expect_contract_held(found);
    }
    if (!::testing::Test::HasFailure()) {
        std::filesystem::remove_all(dir);
    } else {
        std::cout << "worker logs and stderr kept in " << dir << std::endl;
    }
}

}  // namespace
}  // namespace skynet::testing::chaos

// Network fuzzing of a real skynet-broker process: several DEALER sockets send
// it a bounded, seeded stream of random and mutated 7/MDP messages, in
// rounds. Afterwards it must still serve real workers and clients, must have
// counted what it dropped, and its memory must not have grown from round to
// round. docs/design.md: a malformed frame "never crashes or stalls a process",
// and no input buys unbounded memory.
//
// Replay a failure with the seed the test prints: SKYNET_FUZZ_SEED=<n>.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "network_fuzz_messages.hpp"
#include "network_fuzz_peers.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"
#include "support/mmi_stats.hpp"
#include "support/process.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t default_seed = 20240607;
constexpr int rounds = 4;
constexpr int messages_per_round = 10000;
constexpr std::size_t fuzz_sockets = 6;
// Each round stops sending at this point even if it has not sent them all:
// the whole test must fit well inside its ctest timeout under ASan.
constexpr auto round_time_limit = 8s;

std::uint64_t fuzz_seed() {
    const char* text = std::getenv("SKYNET_FUZZ_SEED");
    return text != nullptr && *text != '\0' ? std::strtoull(text, nullptr, 10) : default_seed;
}

// Resident memory of a process, in KiB (0 if it is gone).
long rss_kb(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    long value = 0;
    while (status >> key) {
        if (key == "VmRSS:") {
            status >> value;
            return value;
        }
        status.ignore(1 << 12, '\n');
    }
    return 0;
}

// Under ASan, freed memory waits in a quarantine (256 MiB by default) before
// it is reused, so a broker that frees everything it allocated would still
// grow by up to that much and RSS would say nothing. Its children get a small
// quarantine instead (use-after-free of recent frees is still caught); the
// variable is restored once they run. A Release build ignores it.
class small_quarantine {
public:
    small_quarantine() {
        const char* old = std::getenv("ASAN_OPTIONS");
        old_ = old != nullptr ? std::optional<std::string>(old) : std::nullopt;
        // Appended piece by piece: GCC 12 at -O3 takes `"" + std::string`
        // here for an overlapping copy (-Werror=restrict, a false positive).
        auto options = old_.value_or("");
        if (!options.empty()) {
            options += ':';
        }
        options += "quarantine_size_mb=8";
        ::setenv("ASAN_OPTIONS", options.c_str(), 1);
    }
    ~small_quarantine() {
        if (old_) {
            ::setenv("ASAN_OPTIONS", old_->c_str(), 1);
        } else {
            ::unsetenv("ASAN_OPTIONS");
        }
    }
    small_quarantine(const small_quarantine&) = delete;
    small_quarantine& operator=(const small_quarantine&) = delete;

private:
    std::optional<std::string> old_;
};

// A skynet-broker on a free loopback port (retried: a free port can be taken
// before the broker binds it). Heartbeats every 250 ms, dead after 4 missed:
// fake workers the fuzzer announces are gone about a second after it stops.
struct broker_process {
    broker_process() {
        small_quarantine quarantine;
        for (int tries = 0; tries < 3 && !up; ++tries) {
            endpoint = loopback_endpoint(free_port());
            process = std::make_unique<child_process>(
                "skynet-broker",
                std::vector<std::string>{"--bind", endpoint, "--heartbeat-ms", "250", "--liveness",
                                         "4", "--unknown-service-ms", "200", "--drain-ms", "500",
                                         "--log-level", "error"});
            client probe(fast_client_options(endpoint));
            up = eventually([&] {
                     return !process->running() || mmi_service(probe, "nothing") == "404";
                 }) &&
                 process->running();
        }
        echo = std::make_unique<child_process>(
            "echo-service", std::vector<std::string>{"--broker", endpoint, "--heartbeat-ms", "100",
                                                     "--log-level", "warn"});
    }
    std::string endpoint;
    std::unique_ptr<child_process> process;
    std::unique_ptr<child_process> echo;
    bool up = false;
};

bool echo_works(const std::string& endpoint) {
    zmq::context_t context(1);
    plain_client plain(context, endpoint);
    auto reply = plain.request("echo", {"hello", std::string("\0world", 6)}, 5s);
    return reply && *reply == frame_list{"hello", std::string("\0world", 6)};
}

// The broker at rest between rounds: nothing queued or held, and only the
// two real workers left (the fuzzer's fake ones expired).
bool settled(client& c) {
    auto s = read_broker_stats(c);
    return s && s->queued == 0 && s->in_flight == 0 && s->workers == 2;
}

// Sends one round: messages_per_round, or fewer if round_time_limit passes
// first. Nothing if the broker stopped taking messages.
std::optional<int> send_round(message_fuzzer& fuzzer, fuzz_peers& peers) {
    const auto deadline = std::chrono::steady_clock::now() + round_time_limit;
    int sent = 0;
    for (; sent < messages_per_round && std::chrono::steady_clock::now() < deadline; ++sent) {
        if (!peers.send(fuzzer.next())) {
            return std::nullopt;
        }
    }
    return sent;
}

// The memory check's margin over round 1, in KiB. Measured growth from round
// 1 to 4 stays under about 11 MiB in Release (glibc keeps freed 64-256 KiB
// frames for reuse) and under ASan (quarantine capped at 8 MiB, see above);
// the margin is twice that, and still well under what rounds 2-4 send.
long margin_kb(long first_round_kb) {
    return 20 * 1024 + first_round_kb / 20;
}

TEST(NetworkFuzz, BrokerKeepsServingWithBoundedMemory) {
    const auto seed = fuzz_seed();
    std::cout << "network fuzz: seed=" << seed << " (replay: SKYNET_FUZZ_SEED=" << seed << ")"
              << std::endl;
    broker_process broker;
    ASSERT_TRUE(broker.up) << "skynet-broker did not start: " << broker.process->stderr_text();
    client c(fast_client_options(broker.endpoint));
    auto adder = start_adder(broker.endpoint);
    ASSERT_TRUE(wait_for_service(c, "adder"));
    ASSERT_TRUE(wait_for_service(c, "echo"));
    ASSERT_TRUE(eventually([&] { return settled(c); }));

    message_fuzzer fuzzer(seed, fuzz_sockets, {"echo", "adder", "mmi.service"});
    fuzz_peers peers(broker.endpoint, fuzz_sockets);
    const auto malformed_before = read_broker_stats(c).value_or(broker_stats{}).malformed;
    std::vector<long> rss;
    std::size_t first_round_bytes = 0;
    int sent_total = 0;
    for (int round = 1; round <= rounds; ++round) {
        auto sent = send_round(fuzzer, peers);
        ASSERT_TRUE(sent.has_value()) << "broker stopped reading, round " << round;
        sent_total += *sent;
        first_round_bytes = round == 1 ? peers.bytes_sent() : first_round_bytes;
        ASSERT_TRUE(peers.sync(round, 15s)) << "broker did not catch up, round " << round;
        ASSERT_TRUE(broker.process->running()) << broker.process->stderr_text();
        ASSERT_TRUE(eventually([&] { return settled(c); })) << "round " << round;
        auto s = read_broker_stats(c).value_or(broker_stats{});
        rss.push_back(rss_kb(broker.process->pid()));
        std::cout << "network fuzz: round=" << round << " sent=" << *sent
                  << " bytes=" << peers.bytes_sent() << " received=" << peers.received()
                  << " malformed=" << s.malformed << " disconnects=" << s.disconnects
                  << " unknown_service=" << s.unknown_service << " workers_lost=" << s.workers_lost
                  << " rss_kb=" << rss.back() << std::endl;
    }
    peers.close();
    std::cout << "network fuzz: total sent=" << sent_total << " oversized=" << fuzzer.oversized()
              << std::endl;

    // (a) It still serves, our worker and client and a plain one alike.
    EXPECT_TRUE(adder_works(c));
    EXPECT_TRUE(echo_works(broker.endpoint));
    EXPECT_EQ(mmi_service(c, "echo"), "200");
    // It counted what it dropped.
    auto after = read_broker_stats(c).value_or(broker_stats{});
    EXPECT_GT(after.malformed, malformed_before + sent_total / 20);
    EXPECT_GT(after.disconnects, 0u);
    // (b) Bounded memory. Round 1 grows the broker's pools, maps and ZeroMQ
    // buffers to their working size; rounds 2-4 send the same mix again, so
    // whatever it kept per message or per name shows as growth from round 1
    // to round 4. The margin absorbs allocator noise, and must stay below the
    // bytes of rounds 2-4, else keeping every message could pass unseen.
    const long margin = margin_kb(rss.front());
    const auto later_rounds_kb = static_cast<long>((peers.bytes_sent() - first_round_bytes) >> 10);
    ASSERT_LT(margin, later_rounds_kb / 2) << "the test sends too little to see a leak";
    EXPECT_LE(rss.back(), rss.front() + margin)
        << "RSS per round (KiB): " << ::testing::PrintToString(rss);

    // It ends cleanly on SIGTERM (under ASan, LeakSanitizer runs at its exit).
    adder.reset();
    broker.echo.reset();
    broker.process->signal(SIGTERM);
    EXPECT_EQ(broker.process->wait_exit(generous), 0) << broker.process->stderr_text();
}

}  // namespace
}  // namespace skynet::testing

#pragma once
// What the chaos test concludes: the callers' records of every call, held
// against the workers' logs of every execution, tallied into the counts the
// test prints and asserts on.

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "skynet/bus/errc.hpp"
#include "traffic.hpp"

namespace skynet::testing::chaos {

struct verdict {
    // The calls, as their callers saw them.
    std::uint64_t requests = 0;
    std::uint64_t idempotent = 0;
    std::array<std::uint64_t, bus::errc_max + 1> by_code{};  // outcomes by code
    std::uint64_t idempotent_ok = 0;
    std::uint64_t silent = 0;              // no outcome at all
    std::uint64_t duplicate_outcomes = 0;  // calls that got more than one
    std::uint64_t wrong_replies = 0;       // an OK reply echoing another key

    // The executions, as the workers logged them.
    std::uint64_t executions = 0;
    std::uint64_t redispatched = 0;       // executions with the header's retry > 0
    std::uint64_t idempotent_reruns = 0;  // idempotent calls run more than once (allowed)
    std::uint64_t plain_run_twice = 0;    // non-idempotent calls run more than once
    std::uint64_t ok_never_run = 0;       // answered OK, yet no worker logged it
    std::uint64_t refused_but_ran = 0;    // non-idempotent, told it did not run, yet ran
    std::uint64_t worker_lost_ran = 0;    // WORKER_LOST calls that had run (may: allowed)
    std::uint64_t flag_mismatches = 0;    // the worker saw another idempotent flag
    std::uint64_t foreign_lines = 0;      // log lines naming no call, or torn

    // A few calls behind the anomalies above, and the calls that timed out
    // (allowed, but worth a look): "key idempotent code sent ended runs".
    std::vector<std::string> examples;

    // True if the outcome contract held.
    bool contract_held() const noexcept;
};

// `records[lane]` holds lane's calls by seq; `logs` are the workers'
// execution logs (every incarnation appends to its slot's file).
verdict judge(const std::vector<std::vector<call_record>>& records,
              const std::vector<std::filesystem::path>& logs);

// The counts, one "name: value" per line, for the test's output.
std::string describe(const verdict& v);

}  // namespace skynet::testing::chaos

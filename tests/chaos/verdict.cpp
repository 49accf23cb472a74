#include "verdict.hpp"

#include <fstream>
#include <sstream>

namespace skynet::testing::chaos {

namespace {

using bus::errc;

// Executions per call, by lane and seq.
using run_counts = std::vector<std::vector<std::uint8_t>>;

// Codes that promise the request did not run (errc.hpp).
bool says_not_run(errc code) {
    return code == errc::unavailable || code == errc::overloaded || code == errc::unknown_service;
}

void tally_calls(const std::vector<std::vector<call_record>>& records, verdict& v) {
    for (const auto& lane : records) {
        for (const auto& r : lane) {
            ++v.requests;
            v.idempotent += r.idempotent;
            v.silent += r.outcomes == 0;
            v.duplicate_outcomes += r.outcomes > 1;
            v.wrong_replies += r.wrong_reply;
            if (r.outcomes > 0) {
                ++v.by_code[static_cast<std::size_t>(r.code)];
                v.idempotent_ok += r.idempotent && r.code == errc::ok;
            }
        }
    }
}

// One log line: "<key> <i|n> <retry>".
void read_line(const std::string& line, const std::vector<std::vector<call_record>>& records,
               run_counts& runs, verdict& v) {
    std::istringstream fields(line);
    std::string key, flag, extra;
    int retry = -1;
    int lane = 0;
    std::uint64_t seq = 0;
    if (!(fields >> key >> flag >> retry) || (fields >> extra) || retry < 0 ||
        (flag != "i" && flag != "n") || !parse_key(key, lane, seq) || lane < 0 ||
        static_cast<std::size_t>(lane) >= records.size() || seq >= records[lane].size()) {
        ++v.foreign_lines;
        return;
    }
    ++v.executions;
    v.redispatched += retry > 0;
    v.flag_mismatches += (flag == "i") != records[lane][seq].idempotent;
    auto& n = runs[lane][seq];
    n = static_cast<std::uint8_t>(std::min(n + 1, 255));
}

constexpr std::size_t max_examples = 20;

std::string example(std::size_t lane, std::size_t seq, const call_record& r, int runs,
                    const char* what) {
    std::ostringstream out;
    out << what << ": " << key_of(static_cast<int>(lane), seq)
        << (r.idempotent ? " idempotent" : " not-idempotent")
        << " code=" << (r.outcomes > 0 ? to_string(r.code) : "none")
        << " outcomes=" << int(r.outcomes) << " sent=" << r.sent_ms / 1000.0
        << "s ended=" << r.ended_ms / 1000.0 << "s runs=" << runs;
    if (!r.error.empty()) {
        out << " error=\"" << r.error << "\"";
    }
    return out.str();
}

// The first anomaly of a call, if any: what it is.
const char* anomaly(const call_record& r, int runs) {
    if (r.outcomes != 1) {
        return r.outcomes == 0 ? "no outcome" : "outcomes";
    }
    if (r.wrong_reply) {
        return "wrong reply";
    }
    if (r.idempotent && r.code != errc::ok) {
        return "idempotent failed";
    }
    if (!r.idempotent && runs > 1) {
        return "run twice";
    }
    if (r.code == errc::ok && runs == 0) {
        return "ok never run";
    }
    if (!r.idempotent && says_not_run(r.code) && runs > 0) {
        return "refused but ran";
    }
    return r.code == errc::timeout ? "timeout" : nullptr;
}

void tally_runs(const std::vector<std::vector<call_record>>& records, const run_counts& runs,
                verdict& v) {
    for (std::size_t lane = 0; lane < records.size(); ++lane) {
        for (std::size_t seq = 0; seq < records[lane].size(); ++seq) {
            const auto& r = records[lane][seq];
            const auto n = runs[lane][seq];
            v.idempotent_reruns += r.idempotent && n > 1;
            v.plain_run_twice += !r.idempotent && n > 1;
            v.ok_never_run += r.outcomes > 0 && r.code == errc::ok && n == 0;
            v.refused_but_ran += !r.idempotent && says_not_run(r.code) && n > 0;
            v.worker_lost_ran += r.code == errc::worker_lost && n > 0;
            const char* what = anomaly(r, n);
            if (what != nullptr && v.examples.size() < max_examples) {
                v.examples.push_back(example(lane, seq, r, n, what));
            }
        }
    }
}

}  // namespace

bool verdict::contract_held() const noexcept {
    return silent == 0 && duplicate_outcomes == 0 && wrong_replies == 0 &&
           idempotent_ok == idempotent && plain_run_twice == 0 && ok_never_run == 0 &&
           refused_but_ran == 0 && flag_mismatches == 0 && foreign_lines == 0;
}

verdict judge(const std::vector<std::vector<call_record>>& records,
              const std::vector<std::filesystem::path>& logs) {
    verdict v;
    tally_calls(records, v);
    run_counts runs(records.size());
    for (std::size_t lane = 0; lane < records.size(); ++lane) {
        runs[lane].assign(records[lane].size(), 0);
    }
    for (const auto& path : logs) {
        std::ifstream in(path);
        std::string line;
        while (std::getline(in, line)) {
            read_line(line, records, runs, v);
        }
    }
    tally_runs(records, runs, v);
    return v;
}

std::string describe(const verdict& v) {
    std::ostringstream out;
    out << "requests: " << v.requests << " (idempotent " << v.idempotent << ", not "
        << v.requests - v.idempotent << ")\n";
    out << "outcomes:";
    for (int code = 0; code <= bus::errc_max; ++code) {
        if (v.by_code[code] != 0) {
            out << ' ' << to_string(static_cast<errc>(code)) << '=' << v.by_code[code];
        }
    }
    out << "\nidempotent ok: " << v.idempotent_ok << " of " << v.idempotent << "\n"
        << "no outcome: " << v.silent << "\n"
        << "more than one outcome: " << v.duplicate_outcomes << "\n"
        << "replies for another request: " << v.wrong_replies << "\n"
        << "executions logged: " << v.executions << " (redispatched " << v.redispatched
        << ", idempotent calls run more than once " << v.idempotent_reruns << ")\n"
        << "non-idempotent calls run twice: " << v.plain_run_twice << "\n"
        << "OK without a logged execution: " << v.ok_never_run << "\n"
        << "non-idempotent told 'did not run' that ran: " << v.refused_but_ran << "\n"
        << "WORKER_LOST calls that had run: " << v.worker_lost_ran << "\n"
        << "idempotent flag mismatches: " << v.flag_mismatches << "\n"
        << "foreign or torn log lines: " << v.foreign_lines << "\n";
    for (const auto& e : v.examples) {
        out << "  " << e << "\n";
    }
    return out.str();
}

}  // namespace skynet::testing::chaos

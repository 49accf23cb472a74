// logs: the output of managed processes, read by their host daemons from
// the rotated log files, each line prefixed "host/id: ". With -f, asks
// again every 300 ms with the cursor of the last answer (only newer lines)
// until SIGINT or SIGTERM.

#include <algorithm>
#include <ostream>
#include <regex>

#include "commands.hpp"
#include "daemon_access.hpp"
#include "exit_codes.hpp"
#include "interruption.hpp"

namespace skynet::sky {

namespace {

using std::chrono::milliseconds;

constexpr int default_tail = 20;
constexpr milliseconds follow_interval{300};

struct followed {
    daemon_route route;
    std::string cursor;
    bool failing = false;  // reported once until it answers again
};

std::vector<followed> chosen(const invocation& inv, const listing_result& listed) {
    std::vector<followed> out;
    for (const auto& l : listed.listings) {
        for (const auto& row : l.answer.processes) {
            bool wanted = inv.args.empty() ? row_matches(inv.filter, row, l.daemon)
                                           : std::find(inv.args.begin(), inv.args.end(), row.id) !=
                                                 inv.args.end();
            if (wanted) {
                out.push_back({{l.daemon.id, l.daemon.host, row.id}, {}, false});
            }
        }
    }
    return out;
}

// One request for one process; prints its new lines. False if it failed.
bool read_once(session& s, const invocation& inv, followed& f) {
    logs_request request{f.route.process_id, inv.tail.value_or(default_tail), inv.grep.value_or(""),
                         f.cursor};
    std::vector<std::string> ids{f.route.daemon_id};
    auto outcomes = registry::send_command(s.registry(), ids, "logs", request.to_json().dump(),
                                           timeout_of(inv));
    std::string problem;
    if (!outcomes) {
        problem = outcomes.err().detail;
    } else if (outcomes->front().status != registry::command_status::acted) {
        problem = problem_of(outcomes->front(), f.route.daemon_host, timeout_of(inv));
    } else if (auto answer = parse_logs_answer(outcomes->front().detail); !answer) {
        problem = answer.err().detail;
    } else {
        const auto prefix = f.route.daemon_host + "/" + f.route.process_id + ": ";
        for (const auto& line : answer->lines) {
            s.out << prefix << line << '\n';
        }
        if (answer->dropped != 0 && f.cursor.empty()) {
            s.out << prefix << "(" << answer->dropped << " lines dropped: disk full)\n";
        }
        f.cursor = answer->cursor;
        f.failing = false;
        s.out.flush();
        return true;
    }
    if (!f.failing) {
        s.fail(exit_code::not_all_acted, f.route.process_id + ": " + problem);
    }
    f.failing = true;
    return false;
}

void check_request(const invocation& inv) {
    if (inv.tail && *inv.tail < 0) {
        throw usage_error("--tail must be 0 or more (got " + std::to_string(*inv.tail) + ")");
    }
    if (inv.grep) {
        try {
            std::regex check(*inv.grep);
        } catch (const std::regex_error& e) {
            throw usage_error("--grep " + *inv.grep + ": not a regular expression (" + e.what() +
                              ")");
        }
    }
}

// Polls every process until SIGINT or SIGTERM.
void follow(session& s, const invocation& inv, std::vector<followed>& all) {
    interruption until;
    while (!until.wait_for(follow_interval)) {
        for (auto& f : all) {
            read_once(s, inv, f);
        }
    }
}

}  // namespace

int run_logs(session& s, const invocation& inv) {
    check_request(inv);
    int code = exit_code::ok;
    bool silent = false;
    auto listed = find_processes(s, inv, code, silent);
    if (!listed) {
        return code;
    }
    auto all = chosen(inv, *listed);
    if (all.empty()) {
        return s.fail(exit_code::no_match, "no managed processes match");
    }
    bool ok = !silent;
    for (auto& f : all) {
        ok = read_once(s, inv, f) && ok;
    }
    if (inv.follow) {
        follow(s, inv, all);
    }
    return ok ? exit_code::ok : exit_code::not_all_acted;
}

}  // namespace skynet::sky

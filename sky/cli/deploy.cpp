// deploy and processes: starting a program on every matching host daemon's
// host, and listing what the daemons manage (skynet/sky/daemon_protocol.hpp).

#include <algorithm>
#include <ostream>

#include "commands.hpp"
#include "daemon_access.hpp"
#include "exit_codes.hpp"
#include "table.hpp"

namespace skynet::sky {

namespace {

using nlohmann::json;

daemon::process_spec request_of(const invocation& inv) {
    if (inv.args.empty()) {
        throw usage_error(
            "usage: deploy [--host H] [--region R] [--count N] [--restart POLICY] "
            "PATH [ARGS...]");
    }
    daemon::process_spec r;
    r.argv = inv.args;
    r.env = inv.env;
    r.cwd = inv.cwd.value_or("");
    r.count = inv.count.value_or(1);
    if (r.count < 1) {
        throw usage_error("--count must be at least 1 (got " + std::to_string(r.count) + ")");
    }
    if (inv.policy) {
        auto policy = daemon::parse_restart_policy(*inv.policy);
        if (!policy) {
            throw usage_error("--restart takes always, on-failure or never, not '" + *inv.policy +
                              "'");
        }
        r.restart = *policy;
    }
    for (const auto& e : r.env) {
        if (e.find('=') == std::string::npos || e.front() == '=') {
            throw usage_error("--env takes NAME=VALUE, not '" + e + "'");
        }
    }
    if (inv.filter.service) {
        r.service = *inv.filter.service;
    }
    return r;
}

// One line per host: its new ids (with --json only into `report`, printed
// whole after), or the daemon's error on stderr. True if it deployed.
bool print_deployed(session& s, const daemon_reply& reply, bool as_json, json& report) {
    json entry{{"host", reply.host}, {"daemon", reply.daemon_id}};
    bool ok = reply.ok;
    std::string text = reply.problem;
    if (ok) {
        auto ids = parse_deploy_answer(reply.text);
        ok = ids.ok();
        if (ok) {
            entry["ids"] = *ids;
            std::string joined_ids;
            for (const auto& id : *ids) {
                joined_ids += (joined_ids.empty() ? "" : " ") + id;
            }
            text = joined_ids;
        } else {
            text = ids.err().detail;
        }
    }
    if (!ok) {
        entry["error"] = text;
    }
    report.push_back(entry);
    if (!ok) {
        s.err << reply.host << ": error: " << text << '\n';
    } else if (!as_json) {
        s.out << reply.host << ": " << text << '\n';
    }
    return ok;
}

std::string or_dash(const std::string& text) {
    return text.empty() ? "-" : text;
}

}  // namespace

int run_deploy(session& s, const invocation& inv) {
    auto request = request_of(inv);
    int code = exit_code::ok;
    auto daemons = find_daemons(s, inv, code);
    if (!daemons) {
        return code;
    }
    auto replies =
        ask_daemons(s.registry(), *daemons, "deploy", deploy_argument(request), timeout_of(inv));
    if (!replies) {
        return s.fail(
            replies.code() == bus::errc::unavailable ? exit_code::unreachable : exit_code::failed,
            "cannot send deploy through " + s.url() + ": " + replies.err().detail);
    }
    json report = json::array();
    bool all_ok = true;
    for (const auto& reply : *replies) {
        all_ok = print_deployed(s, reply, inv.json, report) && all_ok;
    }
    if (inv.json) {
        s.out << json{{"hosts", report}}.dump() << '\n';
    }
    s.out.flush();
    return all_ok ? exit_code::ok : exit_code::not_all_acted;
}

int run_processes(session& s, const invocation& inv) {
    if (!inv.args.empty()) {
        throw usage_error("processes takes no arguments (got '" + inv.args.front() + "')");
    }
    int code = exit_code::ok;
    bool silent = false;
    auto listed = find_processes(s, inv, code, silent);
    if (!listed) {
        return code;
    }
    std::vector<daemon::process_row> rows;
    for (const auto& l : listed->listings) {
        for (const auto& row : l.answer.processes) {
            if (row_matches(inv.filter, row, l.daemon)) {
                rows.push_back(row);
                rows.back().host = row.host.empty() ? l.daemon.host : row.host;
            }
        }
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return std::tie(a.host, a.service, a.id) < std::tie(b.host, b.service, b.id);
    });
    if (inv.json) {
        json list = json::array();
        for (const auto& row : rows) {
            list.push_back(row.to_json());
        }
        s.out << json{{"processes", list}, {"problems", listed->problems}}.dump() << '\n';
    } else {
        table t({"ID", "HOST", "SERVICE", "STATE", "PID", "RESTARTS", "LAST EXIT"});
        for (const auto& r : rows) {
            t.add({r.id, r.host, r.service, std::string(daemon::to_string(r.state)),
                   r.pid == 0 ? "-" : std::to_string(r.pid), std::to_string(r.restarts),
                   or_dash(r.last_exit)});
        }
        t.print(s.out);
    }
    s.out.flush();
    return silent ? exit_code::not_all_acted : exit_code::ok;
}

}  // namespace skynet::sky

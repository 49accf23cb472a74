#include "skynet/sky/daemon_calls.hpp"

namespace skynet::sky {

using registry::command_status;
using std::chrono::milliseconds;

std::string problem_of(const registry::command_outcome& outcome, std::string_view host,
                       milliseconds timeout) {
    const std::string who = "daemon " + outcome.id + " on " + std::string(host);
    switch (outcome.status) {
        case command_status::acted:
            return {};
        case command_status::failed:
            return outcome.detail;
        case command_status::no_answer:
            return who + " did not answer within " + std::to_string(timeout.count()) + " ms";
        case command_status::not_listening:
            return who + " is not listening (is skyd running there?) after " +
                   std::to_string(timeout.count()) + " ms";
    }
    return who + ": unknown outcome";
}

bus::result<std::vector<daemon_reply>> ask_daemons(const registry::options& registry,
                                                   const std::vector<registry::instance>& daemons,
                                                   std::string_view name, std::string_view argument,
                                                   milliseconds timeout) {
    std::vector<std::string> ids;
    for (const auto& d : daemons) {
        ids.push_back(d.id);
    }
    auto outcomes = registry::send_command(registry, ids, name, argument, timeout);
    if (!outcomes) {
        return outcomes.err();
    }
    std::vector<daemon_reply> replies;
    for (const auto& d : daemons) {
        daemon_reply reply{d.id, d.host, false, {}, {}};
        for (const auto& o : *outcomes) {
            if (o.id != d.id) {
                continue;
            }
            reply.ok = o.status == command_status::acted;
            if (reply.ok) {
                reply.text = o.detail;
            } else {
                reply.problem = problem_of(o, d.host, timeout);
            }
        }
        replies.push_back(std::move(reply));
    }
    return replies;
}

bus::result<listing_result> list_processes(const registry::options& registry,
                                           const std::vector<registry::instance>& daemons,
                                           milliseconds timeout) {
    auto replies = ask_daemons(registry, daemons, "processes", "{}", timeout);
    if (!replies) {
        return replies.err();
    }
    listing_result out;
    for (std::size_t i = 0; i < daemons.size(); ++i) {
        const auto& reply = (*replies)[i];
        if (!reply.ok) {
            out.problems.push_back(reply.host + "/" + reply.daemon_id + ": " + reply.problem);
            continue;
        }
        auto parsed = parse_processes_answer(reply.text);
        if (!parsed) {
            out.problems.push_back(reply.host + "/" + reply.daemon_id + ": " + parsed.err().detail);
            continue;
        }
        out.listings.push_back({daemons[i], std::move(parsed).value()});
    }
    return out;
}

}  // namespace skynet::sky

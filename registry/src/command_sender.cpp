// send_command: the sender's side of the command channel (commands.hpp).

#include <algorithm>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include "command_wire.hpp"
#include "redis_link.hpp"
#include "skynet/bus/clock.hpp"
#include "skynet/registry/commands.hpp"

namespace skynet::registry {

using bus::clock;
using bus::errc;
using bus::error;
using bus::result;
using detail::command_line;
using std::chrono::milliseconds;

namespace {

// Ids nobody received are published to again this often (they may have
// been reconnecting).
constexpr milliseconds republish_interval{250};
// Acks read per round trip once one has arrived.
constexpr int ack_batch = 1000;

struct sending {
    detail::redis_link& link;
    std::string payload;
    std::string acks_key;
    std::vector<command_outcome> outcomes;
    std::vector<bool> received;
    std::unordered_map<std::string, std::size_t> index;  // id -> outcomes[i]
    std::size_t answered = 0;

    // PUBLISHes to every id nobody has received yet; notes who received it.
    result<void> publish(const std::string& prefix) {
        std::vector<command_line> lines;
        std::vector<std::size_t> targets;
        for (std::size_t i = 0; i < outcomes.size(); ++i) {
            if (!received[i]) {
                lines.push_back(
                    {"PUBLISH", detail::command_channel(prefix, outcomes[i].id), payload});
                targets.push_back(i);
            }
        }
        if (lines.empty()) {
            return {};
        }
        auto replies = link.pipeline(lines);
        if (!replies) {
            return replies.err();
        }
        for (std::size_t k = 0; k < targets.size(); ++k) {
            const auto& reply = *replies.value()[k];
            if (reply.type == REDIS_REPLY_ERROR) {
                return detail::reply_error(reply, link.where());
            }
            received[targets[k]] = reply.type == REDIS_REPLY_INTEGER && reply.integer > 0;
        }
        return {};
    }

    void note(std::string_view text) {
        auto parsed = detail::parse_ack(text);
        if (!parsed) {
            return;
        }
        auto found = index.find(parsed->id);
        if (found == index.end()) {
            return;
        }
        auto& outcome = outcomes[found->second];
        if (outcome.status == command_status::acted || outcome.status == command_status::failed) {
            return;  // an id answers once
        }
        outcome.status = parsed->ok ? command_status::acted : command_status::failed;
        outcome.detail = parsed->detail;
        received[found->second] = true;
        ++answered;
    }

    // Waits up to `wait` for an ack, then takes every ack already there.
    result<void> read_acks(milliseconds wait) {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.3f", static_cast<double>(wait.count()) / 1000);
        auto first = link.command({"BLPOP", acks_key, seconds});
        if (!first) {
            return first.err();
        }
        const auto& reply = **first;
        if (reply.type != REDIS_REPLY_ARRAY || reply.elements != 2) {
            return {};  // nothing within `wait`
        }
        note(detail::text_of(*reply.element[1]));
        for (;;) {
            auto more = link.command({"LPOP", acks_key, std::to_string(ack_batch)});
            if (!more) {
                return more.err();
            }
            if (more.value()->type != REDIS_REPLY_ARRAY || more.value()->elements == 0) {
                return {};
            }
            for (std::size_t i = 0; i < more.value()->elements; ++i) {
                note(detail::text_of(*more.value()->element[i]));
            }
        }
    }
};

std::vector<command_outcome> distinct(std::span<const std::string> ids) {
    std::vector<command_outcome> out;
    std::unordered_set<std::string> seen;
    for (const auto& id : ids) {
        if (seen.insert(id).second) {
            out.push_back(command_outcome{id, command_status::no_answer, {}});
        }
    }
    return out;
}

result<void> exchange(sending& s, const options& opts, milliseconds timeout) {
    const auto deadline = clock::now() + timeout;
    auto republish_at = clock::now();
    // BLPOP must return well within the link's read timeout.
    const auto longest_wait = std::max(milliseconds(10), opts.command_timeout / 3);
    while (s.answered < s.outcomes.size()) {
        auto now = clock::now();
        if (now >= deadline) {
            break;
        }
        if (now >= republish_at) {
            if (auto published = s.publish(opts.prefix); !published) {
                return published;
            }
            republish_at = now + republish_interval;
        }
        auto until = std::min(deadline, republish_at) - clock::now();
        auto wait =
            std::clamp(std::chrono::ceil<milliseconds>(until), milliseconds(1), longest_wait);
        if (auto read = s.read_acks(wait); !read) {
            return read;
        }
    }
    return {};
}

}  // namespace

result<std::vector<command_outcome>> send_command(const options& opts,
                                                  std::span<const std::string> ids, command what,
                                                  std::string_view argument, milliseconds timeout) {
    if (what == command::log_level && argument.empty()) {
        return error{errc::bad_request, "the log command needs a level"};
    }
    return send_command(opts, ids, to_string(what), argument, timeout);
}

result<std::vector<command_outcome>> send_command(const options& opts,
                                                  std::span<const std::string> ids,
                                                  std::string_view name, std::string_view argument,
                                                  milliseconds timeout) {
    if (!detail::valid_verb(name)) {
        return error{errc::bad_request,
                     "command name \"" + std::string(name) + "\" is empty or holds a space"};
    }
    auto link = detail::redis_link::open(opts);
    if (!link) {
        return std::move(link).err();
    }
    auto nonce = detail::make_nonce();
    sending s{*link,
              detail::format_command(nonce, name, argument),
              detail::ack_list(opts.prefix, nonce),
              distinct(ids),
              {},
              {},
              0};
    s.received.assign(s.outcomes.size(), false);
    for (std::size_t i = 0; i < s.outcomes.size(); ++i) {
        s.index.emplace(s.outcomes[i].id, i);
    }
    auto done = exchange(s, opts, timeout);
    if (!done) {
        return done.err();
    }
    // Late acks land in a list nobody reads; its TTL (set by each acker) ends it.
    [[maybe_unused]] auto deleted = link->command({"DEL", s.acks_key});
    for (std::size_t i = 0; i < s.outcomes.size(); ++i) {
        auto& o = s.outcomes[i];
        if (o.status == command_status::no_answer && !s.received[i]) {
            o.status = command_status::not_listening;
        }
    }
    return std::move(s.outcomes);
}

}  // namespace skynet::registry

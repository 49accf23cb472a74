#pragma once
// The command channel: how `sky` steers running instances through Redis.
//
// Protocol (prefix P, default "skynet:"):
//   - a command for instance <id> is published on channel `P commands:<id>`
//     as "<nonce> <command>[ <argument>]", where <nonce> is 1-64 letters or
//     digits chosen by the sender for this one sending, and <command> is one
//     of register, unregister, stop, restart, log (argument: the level), or
//     a name an owner handles itself (a host daemon: deploy, processes,
//     start, stop, restart, reset, undeploy, logs, each with one line of
//     JSON as its argument). <command> holds no space; the argument is the
//     rest of the message, any bytes, tens of KB are fine;
//   - the instance answers by RPUSHing "<id> ok", "<id> ok <text>" (the
//     answer of a named command, any bytes) or "<id> error <text>" to the
//     list `P acks:<nonce>` (which it gives a 60 s TTL, so that acks nobody
//     reads do not pile up);
//   - the sender publishes to every id at once, reads the acks list until
//     every id answered or its timeout passed, then deletes the list.
// One channel per instance, so that a command reaches only the instances it
// names, and PUBLISH's receiver count tells the sender at once who is not
// listening (dead, or an owner that takes no commands); those are published
// to again every 250 ms within the timeout, in case they were reconnecting.
// An instance never acts twice on one sending: it is published to again only
// while nobody received it.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "skynet/bus/result.hpp"
#include "skynet/registry/redis_url.hpp"

namespace skynet::registry {

enum class command { register_, unregister, stop, restart, log_level };

// The wire spelling: "register", "unregister", "stop", "restart", "log".
std::string_view to_string(command c) noexcept;
// The command with this spelling, or nothing.
std::optional<command> command_from_string(std::string_view text) noexcept;

// What an instance does when told. Each is called on the registrar's command
// thread, one at a time, and must not block: it asks its owner to act and
// returns. A handler that returns normally is acknowledged "ok"; one that
// throws is acknowledged with an error carrying what(); a missing one is
// acknowledged "error not supported by this instance". `register_` and
// `unregister` should call registrar::set_registered once the broker has
// stopped or resumed sending work. `log_level` returns false for a level it
// does not know (acknowledged as an error).
//
// `named` handles commands by name (a host daemon's deploy, logs, ...): it is
// looked up first, so that a daemon's "stop" with its JSON argument reaches
// it rather than `stop` above. Its handler gets the argument and returns the
// answer text, acknowledged "ok <text>"; one that throws is acknowledged
// "error <what()>". Same thread and rules as the others, but it may take
// the time its answer needs (a daemon reading a log's tail).
struct command_handlers {
    std::function<void()> register_ = {};
    std::function<void()> unregister = {};
    std::function<void()> stop = {};
    std::function<void()> restart = {};
    std::function<bool(const std::string& level)> log_level = {};
    std::map<std::string, std::function<std::string(const std::string& argument)>, std::less<>>
        named = {};
};

// How one instance answered.
enum class command_status {
    acted,          // it answered ok
    failed,         // it answered with an error (see detail)
    no_answer,      // it received the command but did not answer in time
    not_listening,  // nobody was subscribed to its channel within the timeout
};

std::string_view to_string(command_status status) noexcept;

struct command_outcome {
    std::string id;
    command_status status = command_status::no_answer;
    // The error text for `failed`; for `acted`, the answer text after "ok "
    // (empty for the built-in commands).
    std::string detail;
};

// Sends `what` (with `argument`, the level for log_level) to every id and
// waits up to `timeout` for their answers. Returns one outcome per distinct
// id, in the order given; blocks the calling thread for at most `timeout`
// plus a command timeout. Fails only if Redis cannot be reached or fails
// (unavailable, unauthorized, service_error); bad_request for log_level
// without an argument. Opens a connection of its own for the call.
bus::result<std::vector<command_outcome>> send_command(const options& opts,
                                                       std::span<const std::string> ids,
                                                       command what, std::string_view argument,
                                                       std::chrono::milliseconds timeout);

// The same for a command by name (`command_handlers::named`, or the spelling
// of a built-in one). bad_request if `name` is empty or holds a space or a
// control character.
bus::result<std::vector<command_outcome>> send_command(const options& opts,
                                                       std::span<const std::string> ids,
                                                       std::string_view name,
                                                       std::string_view argument,
                                                       std::chrono::milliseconds timeout);

}  // namespace skynet::registry

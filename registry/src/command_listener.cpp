#include "command_listener.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include "command_wire.hpp"
#include "redis_link.hpp"
#include "skynet/runtime/logging.hpp"
#include "stop_signal.hpp"
#include "switch_watch.hpp"

namespace skynet::registry::detail {

using bus::result;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds first_backoff{100};
// Acks nobody reads (the sender gave up) expire after this.
constexpr int ack_ttl_ms = 60000;

// Subscribed first, so that a command sent once subscribed() holds is seen;
// acks need a second link, since a subscribed one may only (un)subscribe.
struct session {
    redis_link commands;
    redis_link acks;
};

}  // namespace

struct command_listener::impl {
    const options opts;
    const std::string id;
    const milliseconds max_backoff;
    std::shared_ptr<spdlog::logger> log = runtime::logger_for("registry");
    detail::stop_signal stopping{"command_listener"};
    std::atomic<bool> online{false};

    // The thread's own: a failover that leaves the old master up would keep
    // us subscribed there, deaf to commands published on the new one.
    detail::switch_watch master_moves{opts};

    mutable std::mutex handlers_mutex;  // guards handlers: set_handlers() from any thread
    command_handlers handlers;

    std::thread thread;  // last: starts once everything above exists

    impl(options o, std::string i, command_handlers h, milliseconds b)
        : opts(std::move(o)), id(std::move(i)), max_backoff(b), handlers(std::move(h)) {}

    void stop() {
        stopping.raise();
        if (thread.joinable()) {
            thread.join();
        }
    }

    result<session> open_session() {
        (void)master_moves.master_switched();  // subscribes before the master is looked up
        auto commands = redis_link::open(opts);
        if (!commands) {
            return std::move(commands).err();
        }
        auto confirmed = commands->command({"SUBSCRIBE", command_channel(opts.prefix, id)});
        if (!confirmed) {
            return std::move(confirmed).err();
        }
        auto acks = redis_link::open(opts);
        if (!acks) {
            return std::move(acks).err();
        }
        return session{std::move(commands).value(), std::move(acks).value()};
    }

    // Runs the handler the command names; the error text to acknowledge, if
    // any, or the answer of a named handler in `answer`.
    std::optional<std::string> dispatch(const command_message& m, std::string& answer) {
        command_handlers h;
        {
            std::lock_guard lock(handlers_mutex);
            h = handlers;
        }
        // Named first: a daemon's own "stop" takes a JSON argument.
        if (auto named = h.named.find(m.verb); named != h.named.end() && named->second) {
            answer = named->second(m.argument);
            return std::nullopt;
        }
        if (!m.what) {
            return "unknown command " + m.verb;
        }
        const std::function<void()>* plain = nullptr;
        switch (*m.what) {
            case command::register_:
                plain = &h.register_;
                break;
            case command::unregister:
                plain = &h.unregister;
                break;
            case command::stop:
                plain = &h.stop;
                break;
            case command::restart:
                plain = &h.restart;
                break;
            case command::log_level:
                return set_level(h, m.argument);
        }
        if (plain == nullptr || !*plain) {
            return "not supported by this instance";
        }
        (*plain)();
        return std::nullopt;
    }

    static std::optional<std::string> set_level(const command_handlers& h,
                                                const std::string& level) {
        if (!h.log_level) {
            return "not supported by this instance";
        }
        if (!h.log_level(level)) {
            return "unknown log level " + level;
        }
        return std::nullopt;
    }

    // A throwing handler is an error answer, never the end of the thread.
    result<void> handle(redis_link& acks, std::string_view payload) {
        auto message = parse_command(payload);
        if (!message) {
            log->warn("dropping a malformed command id={}", id);
            return {};
        }
        std::optional<std::string> failure;
        std::string answer;
        try {
            failure = dispatch(*message, answer);
        } catch (const std::exception& e) {
            failure = e.what();
        } catch (...) {
            failure = "the handler failed";
        }
        log->info("command id={} command={} outcome=\"{}\"", id, message->verb,
                  failure.value_or("ok"));
        auto key = ack_list(opts.prefix, message->nonce);
        std::vector<command_line> lines{{"RPUSH", key, format_ack(id, failure, answer)},
                                        {"PEXPIRE", key, std::to_string(ack_ttl_ms)}};
        auto sent = acks.pipeline(lines);
        if (!sent) {
            return sent.err();
        }
        return {};
    }

    result<void> handle_all(session& s, bool read_socket) {
        auto replies = read_socket ? s.commands.read_available() : s.commands.take_buffered();
        if (!replies) {
            return replies.err();
        }
        for (const auto& reply : *replies) {
            // ["message", channel, payload]; anything else is a confirmation.
            if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3 ||
                text_of(*reply->element[0]) != "message") {
                continue;
            }
            if (auto done = handle(s.acks, text_of(*reply->element[2])); !done) {
                return done;
            }
        }
        return {};
    }

    result<void> serve(session& s) {
        online = true;
        auto buffered = handle_all(s, false);
        while (buffered && !stopping.raised()) {
            if (master_moves.master_switched()) {
                buffered = bus::error{bus::errc::unavailable, "the sentinels named a new master"};
            } else if (stopping.wait(s.commands.fd(), master_moves.look_again_in(),
                                     master_moves.fd())) {
                buffered = handle_all(s, true);
            }
        }
        online = false;
        return buffered;
    }

    void run() {
        milliseconds backoff = first_backoff;
        bool down = false;
        while (!stopping.raised()) {
            auto s = open_session();
            if (s) {
                if (down) {
                    log->info("command channel subscribed again id={}", id);
                    down = false;
                }
                backoff = first_backoff;
                auto served = serve(*s);
                if (served || stopping.raised()) {
                    continue;
                }
                log->warn("command channel lost id={} error=\"{}\"", id, served.err().detail);
                down = true;
            } else if (!down) {
                log->warn("command channel cannot reach the registry id={} error=\"{}\"", id,
                          s.err().detail);
                down = true;
            }
            stopping.wait(-1, backoff);
            backoff = std::min(backoff * 2, max_backoff);
        }
    }
};

command_listener::command_listener(options opts, std::string id, command_handlers handlers,
                                   milliseconds max_backoff)
    : impl_(std::make_unique<impl>(std::move(opts), std::move(id), std::move(handlers),
                                   max_backoff)) {
    impl_->thread = std::thread([state = impl_.get()] { state->run(); });
}

command_listener::~command_listener() {
    impl_->stop();
}

void command_listener::set_handlers(command_handlers handlers) {
    std::lock_guard lock(impl_->handlers_mutex);
    impl_->handlers = std::move(handlers);
}

bool command_listener::subscribed() const {
    return impl_->online;
}

}  // namespace skynet::registry::detail

#include "redis_link.hpp"

#include <sys/time.h>

#include <cerrno>

#include "sentinel.hpp"

namespace skynet::registry::detail {

namespace {

using bus::errc;
using bus::error;
using bus::result;

timeval to_timeval(std::chrono::milliseconds ms) {
    return timeval{static_cast<time_t>(ms.count() / 1000),
                   static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

// AUTH, then SELECT: both must answer OK before the link is used.
result<void> handshake(redis_link& link, const redis_url& url) {
    if (!url.password.empty()) {
        command_line auth{"AUTH"};
        if (!url.user.empty()) {
            auth.push_back(url.user);
        }
        auth.push_back(url.password);
        auto reply = link.command(auth);
        if (!reply) {
            auto e = std::move(reply).err();
            if (e.code == errc::service_error) {
                e.code = errc::unauthorized;  // WRONGPASS, or no password set
            }
            return e;
        }
    }
    if (url.db != 0) {
        auto reply = link.command({"SELECT", std::to_string(url.db)});
        if (!reply) {
            return std::move(reply).err();
        }
    }
    return {};
}

// What the sentinels named may already be a replica (a failover in
// progress, or a stale sentinel): ROLE says, and a replica is refused.
result<void> confirm_master(redis_link& link) {
    auto role = link.command({"ROLE"});
    if (!role) {
        return std::move(role).err();
    }
    const redisReply& reply = **role;
    if (reply.type != REDIS_REPLY_ARRAY || reply.elements == 0 ||
        text_of(*reply.element[0]) != "master") {
        return error{errc::unavailable, "redis at " + link.where() +
                                            ": not a master (yet): a failover may be under way"};
    }
    return {};
}

}  // namespace

error reply_error(const redisReply& reply, std::string_view where) {
    auto text = text_of(reply);
    bool auth = text.starts_with("NOAUTH") || text.starts_with("WRONGPASS");
    return error{auth ? errc::unauthorized : errc::service_error,
                 "redis at " + std::string(where) + ": " + std::string(text)};
}

redis_link::redis_link(std::unique_ptr<redisContext, context_deleter> context, std::string where)
    : context_(std::move(context)), where_(std::move(where)) {}

result<redis_link> redis_link::open(const options& opts) {
    if (!opts.redis.via_sentinel()) {
        return open_at(opts.redis, opts, opts.redis.to_string());
    }
    auto master = find_master(opts);
    if (!master) {
        return std::move(master).err();
    }
    auto target = opts.redis;
    target.host = master->host;
    target.port = master->port;
    auto link =
        open_at(target, opts, opts.redis.to_string() + " (master " + master->to_string() + ")");
    if (!link) {
        return link;
    }
    if (auto confirmed = confirm_master(*link); !confirmed) {
        return confirmed.err();
    }
    return link;
}

result<redis_link> redis_link::open_at(const redis_url& target, const options& opts,
                                       std::string where) {
    std::unique_ptr<redisContext, context_deleter> context(redisConnectWithTimeout(
        target.host.c_str(), target.port, to_timeval(opts.connect_timeout)));
    if (!context) {
        return error{errc::unavailable, "redis at " + where + ": cannot allocate a context"};
    }
    if (context->err != 0) {
        return error{errc::unavailable, "redis at " + where + ": " + context->errstr};
    }
    // A dead peer that never answers must not hang a call: every read and
    // write gives up after the command timeout.
    redisSetTimeout(context.get(), to_timeval(opts.command_timeout));
    redisEnableKeepAlive(context.get());
    redis_link link(std::move(context), std::move(where));
    if (auto done = handshake(link, target); !done) {
        return done.err();
    }
    return link;
}

error redis_link::lost(std::string_view doing) {
    broken_ = true;
    std::string why = context_->err != 0 ? context_->errstr : "connection lost";
    if (context_->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        why = "no answer within the command timeout";
    }
    return error{errc::unavailable,
                 "redis at " + where_ + ": " + std::string(doing) + " failed: " + why};
}

result<void> redis_link::append(const command_line& args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    argv.reserve(args.size());
    lengths.reserve(args.size());
    for (const auto& arg : args) {
        argv.push_back(arg.data());
        lengths.push_back(arg.size());
    }
    if (redisAppendCommandArgv(context_.get(), static_cast<int>(argv.size()), argv.data(),
                               lengths.data()) != REDIS_OK) {
        return lost("sending");
    }
    return {};
}

result<void> redis_link::flush() {
    int done = 0;
    while (done == 0) {
        if (redisBufferWrite(context_.get(), &done) != REDIS_OK) {
            return lost("sending");
        }
    }
    return {};
}

result<reply_ptr> redis_link::command(const command_line& args) {
    auto replies = pipeline(std::span<const command_line>(&args, 1));
    if (!replies) {
        return std::move(replies).err();
    }
    auto reply = std::move(replies->front());
    if (reply->type == REDIS_REPLY_ERROR) {
        return reply_error(*reply, where_);
    }
    return reply;
}

result<std::vector<reply_ptr>> redis_link::pipeline(std::span<const command_line> commands) {
    if (broken_) {
        return error{errc::unavailable, "redis at " + where_ + ": connection lost earlier"};
    }
    for (const auto& args : commands) {
        if (auto sent = append(args); !sent) {
            return sent.err();
        }
    }
    std::vector<reply_ptr> replies;
    replies.reserve(commands.size());
    for (std::size_t i = 0; i < commands.size(); ++i) {
        void* raw = nullptr;
        if (redisGetReply(context_.get(), &raw) != REDIS_OK || raw == nullptr) {
            return lost("reading a reply");
        }
        replies.emplace_back(static_cast<redisReply*>(raw));
    }
    return replies;
}

result<void> redis_link::send(const command_line& args) {
    if (broken_) {
        return error{errc::unavailable, "redis at " + where_ + ": connection lost earlier"};
    }
    if (auto appended = append(args); !appended) {
        return appended;
    }
    return flush();
}

result<std::vector<reply_ptr>> redis_link::read_available() {
    if (broken_ || redisBufferRead(context_.get()) != REDIS_OK) {
        return lost("reading");
    }
    return take_buffered();
}

result<std::vector<reply_ptr>> redis_link::take_buffered() {
    std::vector<reply_ptr> replies;
    for (;;) {
        void* raw = nullptr;
        if (redisGetReplyFromReader(context_.get(), &raw) != REDIS_OK) {
            return lost("parsing a reply");
        }
        if (raw == nullptr) {
            return replies;
        }
        replies.emplace_back(static_cast<redisReply*>(raw));
    }
}

}  // namespace skynet::registry::detail

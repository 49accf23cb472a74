#include "redis_direct.hpp"

#include <hiredis/hiredis.h>
#include <poll.h>

namespace skynet::bench {

namespace {

timeval timeval_of(std::chrono::milliseconds d) {
    timeval tv{};
    tv.tv_sec = static_cast<decltype(tv.tv_sec)>(d.count() / 1000);
    tv.tv_usec = static_cast<decltype(tv.tv_usec)>((d.count() % 1000) * 1000);
    return tv;
}

void append_text(const redisReply* r, std::string& out) {
    switch (r->type) {
        case REDIS_REPLY_STRING:
        case REDIS_REPLY_STATUS:
            out.append(r->str, r->len);
            break;
        case REDIS_REPLY_INTEGER:
            out.append(std::to_string(r->integer));
            break;
        case REDIS_REPLY_ARRAY:
            for (std::size_t i = 0; i < r->elements; ++i) {
                out.append(i == 0 ? "" : "\n");
                append_text(r->element[i], out);
            }
            break;
        default:  // nil
            break;
    }
}

struct reply_owner {
    void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};
using owned_reply = std::unique_ptr<redisReply, reply_owner>;

std::vector<const char*> argv_of(const std::vector<std::string>& args,
                                 std::vector<std::size_t>& lengths) {
    std::vector<const char*> argv;
    for (const auto& a : args) {
        argv.push_back(a.data());
        lengths.push_back(a.size());
    }
    return argv;
}

}  // namespace

void redis_direct::closer::operator()(redisContext* c) const noexcept {
    redisFree(c);
}

std::optional<redis_direct> redis_direct::open(const std::string& host, int port,
                                               std::chrono::milliseconds limit) {
    redisContext* c = redisConnectWithTimeout(host.c_str(), port, timeval_of(limit));
    if (c == nullptr) {
        return std::nullopt;
    }
    redis_direct made(c);
    if (c->err != 0 || redisSetTimeout(c, timeval_of(limit)) != REDIS_OK) {
        return std::nullopt;
    }
    return made;
}

std::optional<std::string> redis_direct::command(const std::vector<std::string>& args) {
    if (broken_) {
        return std::nullopt;
    }
    std::vector<std::size_t> lengths;
    auto argv = argv_of(args, lengths);
    owned_reply r(static_cast<redisReply*>(redisCommandArgv(
        context_.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
    if (!r) {
        broken_ = true;
        return std::nullopt;
    }
    if (r->type == REDIS_REPLY_ERROR) {
        return std::nullopt;
    }
    std::string text;
    append_text(r.get(), text);
    return text;
}

bool redis_direct::send(const std::vector<std::string>& args) {
    std::vector<std::size_t> lengths;
    auto argv = argv_of(args, lengths);
    int done = 0;
    if (broken_ || redisAppendCommandArgv(context_.get(), static_cast<int>(argv.size()),
                                          argv.data(), lengths.data()) != REDIS_OK) {
        return false;
    }
    while (done == 0) {
        if (redisBufferWrite(context_.get(), &done) != REDIS_OK) {
            broken_ = true;
            return false;
        }
    }
    return true;
}

std::optional<std::vector<std::string>> redis_direct::next_push(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!broken_) {
        void* raw = nullptr;
        if (redisGetReplyFromReader(context_.get(), &raw) != REDIS_OK) {
            broken_ = true;
            break;
        }
        if (raw != nullptr) {
            owned_reply r(static_cast<redisReply*>(raw));
            std::vector<std::string> parts;
            for (std::size_t i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; ++i) {
                parts.emplace_back();
                append_text(r->element[i], parts.back());
            }
            return parts;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{context_->fd, POLLIN, 0};
        if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) {
            return std::nullopt;
        }
        if (redisBufferRead(context_.get()) != REDIS_OK) {
            broken_ = true;
        }
    }
    return std::nullopt;
}

std::optional<std::string> redis_ask(int port, const std::vector<std::string>& args) {
    auto c = redis_direct::open("127.0.0.1", port, std::chrono::milliseconds(1000));
    return c ? c->command(args) : std::nullopt;
}

}  // namespace skynet::bench

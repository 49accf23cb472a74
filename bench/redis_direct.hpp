#pragma once
// A bare hiredis connection to one Redis server or sentinel, for the figures
// that must look at a server itself (which one is master, what it holds)
// rather than through the registry's Sentinel-following connection.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct redisContext;

namespace skynet::bench {

class redis_direct {
public:
    // Connected to host:port within `limit`; nothing if it did not answer.
    static std::optional<redis_direct> open(const std::string& host, int port,
                                            std::chrono::milliseconds limit);

    // The reply as text: a string, status or integer as it reads, an array
    // as its elements (recursively) one per line, nil as "". Nothing on an
    // error reply, a timeout or a broken connection (then it stays broken).
    std::optional<std::string> command(const std::vector<std::string>& args);

    // For a subscription: sends a command and reads no reply.
    bool send(const std::vector<std::string>& args);
    // The next reply pushed to us, as its array elements, within `limit`;
    // nothing at the deadline or once broken.
    std::optional<std::vector<std::string>> next_push(std::chrono::milliseconds limit);

private:
    struct closer {
        void operator()(redisContext* c) const noexcept;
    };
    explicit redis_direct(redisContext* c) : context_(c) {}
    std::unique_ptr<redisContext, closer> context_;
    bool broken_ = false;
};

// `redis-cli -p port` for one command on 127.0.0.1: the reply as text, or
// nothing; connects anew each time (for a few probes, not a loop).
std::optional<std::string> redis_ask(int port, const std::vector<std::string>& args);

}  // namespace skynet::bench

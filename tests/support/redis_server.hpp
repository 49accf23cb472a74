#pragma once
// A real redis-server for tests, on a free loopback port of its own, with
// nothing saved to disk. It can be stopped and started again on the same
// port, to test what happens while Redis is away.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "process.hpp"

namespace skynet::testing {

class redis_server {
public:
    // Starts /usr/bin/redis-server with `extra_args` (for example
    // {"--requirepass", "secret"}) and waits until it answers. Throws
    // std::runtime_error if it does not start.
    explicit redis_server(std::vector<std::string> extra_args = {});
    ~redis_server();  // stops it
    redis_server(const redis_server&) = delete;
    redis_server& operator=(const redis_server&) = delete;

    int port() const noexcept { return port_; }
    // "redis://127.0.0.1:<port>", plus the credentials and db given.
    std::string url(const std::string& password = "", int db = 0) const;

    // Stops it (SIGTERM, then waits) and, for start(), starts it again on the
    // same port. Its data is gone: it saves nothing.
    void stop();
    void start();
    bool running();

    // True if something answers PING on this port (a NOAUTH error counts:
    // the server is up, it wants a password).
    static bool answers(int port);

private:
    bool launch();
    std::filesystem::path rdb_file() const;

    std::vector<std::string> extra_args_;
    int port_ = 0;
    std::optional<child_process> process_;
};

}  // namespace skynet::testing

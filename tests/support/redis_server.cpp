#include "redis_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

#include "eventually.hpp"

namespace skynet::testing {

namespace {

constexpr const char* redis_binary = "/usr/bin/redis-server";

// One short exchange on a fresh socket: "PING" and the first bytes back.
std::string ping(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return {};
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    std::string reply;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::send(fd, "PING\r\n", 6, MSG_NOSIGNAL) == 6) {
        pollfd item{fd, POLLIN, 0};
        char buffer[64];
        if (::poll(&item, 1, 1000) == 1) {
            auto n = ::recv(fd, buffer, sizeof buffer, 0);
            reply.assign(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
        }
    }
    ::close(fd);
    return reply;
}

}  // namespace

bool redis_server::answers(int port) {
    auto reply = ping(port);
    return reply.starts_with("+PONG") || reply.starts_with("-NOAUTH");
}

redis_server::redis_server(std::vector<std::string> extra_args)
    : extra_args_(std::move(extra_args)) {
    // A free port can be taken by someone else before redis binds it.
    for (int tries = 0; tries < 5; ++tries) {
        port_ = free_port();
        if (launch()) {
            return;
        }
    }
    throw std::runtime_error("redis-server did not start");
}

redis_server::~redis_server() {
    stop();
}

bool redis_server::launch() {
    // A replica (of a sentinel test) writes what its master sends to disk:
    // into a file of its own that stop() deletes, not the working directory.
    std::vector<std::string> args{"--port",       std::to_string(port_),
                                  "--bind",       "127.0.0.1",
                                  "--save",       "",
                                  "--appendonly", "no",
                                  "--dir",        rdb_file().parent_path().string(),
                                  "--dbfilename", rdb_file().filename().string()};
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    process_.emplace(redis_binary, args);
    bool up = eventually([&] { return answers(port_) || !process_->running(); }) &&
              process_->running() && answers(port_);
    if (!up) {
        process_.reset();
    }
    return up;
}

void redis_server::stop() {
    if (process_ && process_->running()) {
        process_->signal(SIGTERM);
        process_->wait_exit(std::chrono::seconds(10));
    }
    process_.reset();  // kills it if SIGTERM was not enough
    std::error_code ignored;
    std::filesystem::remove(rdb_file(), ignored);
}

std::filesystem::path redis_server::rdb_file() const {
    return std::filesystem::temp_directory_path() /
           ("skynet-test-redis-" + std::to_string(port_) + ".rdb");
}

void redis_server::start() {
    stop();
    // The port was ours; a restart can still race with a closing socket.
    bool up = eventually([&] { return launch(); }, std::chrono::seconds(20));
    if (!up) {
        throw std::runtime_error("redis-server did not restart on its port");
    }
}

bool redis_server::running() {
    return process_ && process_->running();
}

std::string redis_server::url(const std::string& password, int db) const {
    std::string out = "redis://";
    if (!password.empty()) {
        out.append(":").append(password).append("@");
    }
    out.append("127.0.0.1:").append(std::to_string(port_));
    if (db != 0) {
        out.append("/").append(std::to_string(db));
    }
    return out;
}

}  // namespace skynet::testing

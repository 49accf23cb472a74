#include "support/notify_socket.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <system_error>

#include "support/eventually.hpp"

namespace skynet::testing {

notify_socket::notify_socket(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const auto text = path_.string();
    if (fd_ < 0 || text.size() >= sizeof(address.sun_path)) {
        throw std::runtime_error("notify socket: cannot make " + text);
    }
    std::copy(text.begin(), text.end(), address.sun_path);
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        throw std::runtime_error("notify socket: cannot bind " + text);
    }
}

notify_socket::~notify_socket() {
    ::close(fd_);
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
}

std::string notify_socket::receive() {
    std::string out;
    char buffer[4096];
    for (;;) {
        const auto n = ::recv(fd_, buffer, sizeof(buffer), 0);
        if (n <= 0) {
            return out;
        }
        out.append(buffer, static_cast<std::size_t>(n));
        out += '\n';
    }
}

std::string notify_socket::receive_until(const std::function<bool(const std::string&)>& done,
                                         std::chrono::milliseconds within) {
    std::string got;
    eventually(
        [&] {
            got += receive();
            return done(got);
        },
        within);
    return got;
}

std::unique_ptr<child_process> start_notifying(const notify_socket& socket,
                                               const std::string& program,
                                               std::vector<std::string> args,
                                               const char* watchdog_usec) {
    notify_environment env(socket, watchdog_usec);
    return std::make_unique<child_process>(program, std::move(args));
}

}  // namespace skynet::testing

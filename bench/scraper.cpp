#include "scraper.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <string_view>

namespace skynet::bench {

namespace {
// A connected TCP socket to "host:port", or -1.
int dial(const std::string& address) {
    const auto colon = address.rfind(':');
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (colon == std::string::npos ||
        getaddrinfo(address.substr(0, colon).c_str(), address.substr(colon + 1).c_str(), &hints,
                    &found) != 0) {
        return -1;
    }
    int fd = socket(found->ai_family, found->ai_socktype, found->ai_protocol);
    if (fd >= 0 && connect(fd, found->ai_addr, found->ai_addrlen) != 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(found);
    if (fd >= 0) {
        timeval patience{30, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
    }
    return fd;
}

// The whole answer to `request`, read until the server closes, in large
// reads: the figure is the server's, not a client's reading in small pieces.
std::string http_exchange(int fd, const std::string& request) {
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
        return {};
    }
    std::string answer;
    std::size_t used = 0;
    for (;;) {
        answer.resize(used + (1 << 20));
        const auto n = recv(fd, answer.data() + used, answer.size() - used, 0);
        if (n <= 0) {
            break;
        }
        used += static_cast<std::size_t>(n);
    }
    answer.resize(used);
    return answer;
}

std::size_t samples_in(std::string_view body) {
    std::size_t samples = 0;
    std::size_t at = 0;
    while (at < body.size()) {
        const auto end = std::min(body.find('\n', at), body.size());
        samples += end > at && body[at] != '#' ? 1 : 0;
        at = end + 1;
    }
    return samples;
}
}  // namespace

std::optional<timed_scrape> scrape_once(const std::string& address, bool gzip) {
    const auto start = std::chrono::steady_clock::now();
    const int fd = dial(address);
    if (fd < 0) {
        return std::nullopt;
    }
    const auto answer = http_exchange(fd, "GET /metrics HTTP/1.1\r\nHost: " + address +
                                              "\r\nConnection: close\r\n" +
                                              (gzip ? "Accept-Encoding: gzip\r\n" : "") + "\r\n");
    close(fd);
    const auto took = std::chrono::steady_clock::now() - start;
    const auto head_end = answer.find("\r\n\r\n");
    if (answer.rfind("HTTP/1.1 200", 0) != 0 || head_end == std::string::npos) {
        return std::nullopt;
    }
    const std::string_view body(answer.data() + head_end + 4, answer.size() - head_end - 4);
    timed_scrape t;
    t.took = took;
    t.bytes = body.size();
    t.gzip = answer.substr(0, head_end).find("Content-Encoding: gzip") != std::string::npos;
    t.samples = t.gzip ? 0 : samples_in(body);
    return t;
}

periodic_scraper::periodic_scraper(std::string address, std::chrono::milliseconds interval)
    : thread_([this, address = std::move(address), interval] {
          while (!stopping_.load()) {
              if (scrape_once(address)) {
                  ++scrapes_;
              }
              // Short naps, so that the destructor does not wait a whole interval.
              const auto next = std::chrono::steady_clock::now() + interval;
              while (!stopping_.load() && std::chrono::steady_clock::now() < next) {
                  std::this_thread::sleep_for(std::chrono::milliseconds(10));
              }
          }
      }) {}

periodic_scraper::~periodic_scraper() {
    stopping_.store(true);
    thread_.join();
}

}  // namespace skynet::bench

#include "scraper.hpp"

#include <httplib.h>

#include <algorithm>

namespace skynet::bench {

std::optional<timed_scrape> scrape_once(const std::string& address) {
    const auto colon = address.rfind(':');
    httplib::Client http(address.substr(0, colon), std::stoi(address.substr(colon + 1)));
    http.set_read_timeout(30);
    const auto start = std::chrono::steady_clock::now();
    auto answer = http.Get("/metrics");
    const auto took = std::chrono::steady_clock::now() - start;
    if (!answer || answer->status != 200) {
        return std::nullopt;
    }
    timed_scrape t;
    t.took = took;
    t.bytes = answer->body.size();
    const auto& body = answer->body;
    std::size_t at = 0;
    while (at < body.size()) {
        const auto end = std::min(body.find('\n', at), body.size());
        t.samples += end > at && body[at] != '#' ? 1 : 0;
        at = end + 1;
    }
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

#include "scrape.hpp"

#include <httplib.h>

#include <sstream>

namespace skynet::testing {

std::optional<double> scraped::get(const std::string& series) const {
    auto found = samples.find(series);
    if (found == samples.end()) {
        return std::nullopt;
    }
    return found->second;
}

bool scraped::mentions(const std::string& text_in_series) const {
    for (const auto& [series, value] : samples) {
        if (series.find(text_in_series) != std::string::npos) {
            return true;
        }
    }
    return false;
}

namespace {
void parse_samples(scraped& s) {
    std::istringstream lines(s.text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        const auto space = line.rfind(' ');
        if (space == std::string::npos) {
            continue;
        }
        try {
            s.samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
        } catch (const std::exception&) {
            // NaN and the like: not a sample these tests read
        }
    }
}
}  // namespace

scraped scrape(const std::string& address) {
    scraped s;
    const auto colon = address.rfind(':');
    httplib::Client http(address.substr(0, colon), std::stoi(address.substr(colon + 1)));
    http.set_connection_timeout(5);
    http.set_read_timeout(10);
    auto answer = http.Get("/metrics");
    if (!answer) {
        return s;
    }
    s.status = answer->status;
    s.content_type = answer->get_header_value("Content-Type");
    s.text = answer->body;
    parse_samples(s);
    return s;
}

}  // namespace skynet::testing

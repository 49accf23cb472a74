#include "sse_reader.hpp"

namespace skynet::testing {

sse_reader::sse_reader(int port, std::string path, std::optional<std::uint64_t> last_event_id) {
    thread_ = std::thread([this, port, path = std::move(path), last_event_id] {
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(std::chrono::seconds(30));
        httplib::Headers headers;
        if (last_event_id) {
            headers.emplace("Last-Event-ID", std::to_string(*last_event_id));
        }
        auto result = client.Get(
            path.c_str(), headers,
            [this](const httplib::Response& res) {
                status_ = res.status;
                return !stopping_;
            },
            [this](const char* data, std::size_t size) {
                on_bytes(data, size);
                return !stopping_;
            });
        if (!result && status_ == 0) {
            status_ = -1;
        }
        ended_ = true;
    });
}

sse_reader::~sse_reader() {
    stopping_ = true;
    thread_.join();
}

// Events end with a blank line; fields are "name: value" lines, comments
// start with ':'. A non-stream reply (an error) is kept whole.
void sse_reader::on_bytes(const char* data, std::size_t size) {
    std::lock_guard lock(mutex_);
    if (status_ != 200) {
        body_.append(data, size);
        return;
    }
    pending_.append(data, size);
    std::size_t end;
    while ((end = pending_.find("\n\n")) != std::string::npos) {
        const auto block = pending_.substr(0, end);
        pending_.erase(0, end + 2);
        if (block.starts_with(":")) {
            pings_ += block.starts_with(": ping") ? 1 : 0;
            continue;
        }
        sse_event e;
        std::size_t at = 0;
        while (at <= block.size()) {
            auto line_end = block.find('\n', at);
            if (line_end == std::string::npos) {
                line_end = block.size();
            }
            const auto line = block.substr(at, line_end - at);
            if (line.starts_with("id: ")) {
                e.id = std::stoull(line.substr(4));
            } else if (line.starts_with("event: ")) {
                e.event = line.substr(7);
            } else if (line.starts_with("data: ")) {
                e.data += line.substr(6);
            }
            at = line_end + 1;
        }
        events_.push_back(std::move(e));
    }
}

std::vector<sse_event> sse_reader::events() const {
    std::lock_guard lock(mutex_);
    return events_;
}

int sse_reader::pings() const {
    std::lock_guard lock(mutex_);
    return pings_;
}

std::string sse_reader::error_body() const {
    std::lock_guard lock(mutex_);
    return body_;
}

}  // namespace skynet::testing

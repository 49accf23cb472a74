#include "subscriber.hpp"

namespace skynet::registry::detail {

using bus::errc;
using bus::error;
using bus::result;

result<subscriber> subscriber::open(const options& opts) {
    auto link = redis_link::open(opts);
    if (!link) {
        return std::move(link).err();
    }
    std::string channel = opts.prefix + "events";
    auto confirmed = link->command({"SUBSCRIBE", channel});
    if (!confirmed) {
        return std::move(confirmed).err();
    }
    return subscriber(std::move(link).value(), std::move(channel));
}

result<std::vector<std::string>> subscriber::take_ids(bool read_socket) {
    auto replies = read_socket ? link_.read_available() : link_.take_buffered();
    if (!replies) {
        return std::move(replies).err();
    }
    std::vector<std::string> ids;
    for (const auto& reply : *replies) {
        // ["message", channel, payload]; anything else (a confirmation) is skipped.
        if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3 ||
            text_of(*reply->element[0]) != "message") {
            continue;
        }
        auto payload = text_of(*reply->element[2]);
        auto space = payload.find(' ');
        if (space != std::string_view::npos && space + 1 < payload.size()) {
            ids.emplace_back(payload.substr(space + 1));
        }
    }
    return ids;
}

}  // namespace skynet::registry::detail

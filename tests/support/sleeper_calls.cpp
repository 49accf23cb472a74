#include "sleeper_calls.hpp"

#include <stdexcept>

#include "eventually.hpp"
#include "mmi_stats.hpp"
#include "skynet/bus/bson.hpp"

namespace skynet::testing {

call_result call_sleeper(client& c, std::int64_t ms, std::chrono::milliseconds timeout) {
    bus::bson_doc params;
    params.add_int64("ms", ms);
    call_options options;
    options.timeout = timeout;
    return c.call("sleeper", "Sleep", params.view(), options);
}

std::future<call_result> hold_sleeper_call(client& c, std::int64_t ms,
                                           std::chrono::milliseconds timeout) {
    auto held =
        std::async(std::launch::async, [&c, ms, timeout] { return call_sleeper(c, ms, timeout); });
    if (!eventually([&] { return read_broker_stats(c).value_or(broker_stats{}).in_flight == 1; })) {
        throw std::runtime_error("the broker never held the sleeper call");
    }
    return held;
}

}  // namespace skynet::testing

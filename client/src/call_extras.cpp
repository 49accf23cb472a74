#include "call_extras.hpp"

#include <stdexcept>

#include "skynet/bus/traceparent.hpp"

namespace skynet::client_detail {

void add_trace_and_metadata(submission& s, const call_options& options) {
    if (!options.metadata.empty()) {
        for (const auto& [key, value] : options.metadata) {
            if (key.find('\0') != std::string::npos) {
                throw std::invalid_argument("call_options::metadata: a key holds a NUL byte");
            }
        }
        s.metadata = options.metadata;  // the one copy: the caller keeps its pairs
    }
    if (!options.traceparent.empty()) {
        if (!bus::is_valid_traceparent(options.traceparent)) {
            throw std::invalid_argument("call_options::traceparent: not a W3C traceparent: " +
                                        options.traceparent);
        }
        s.traceparent = options.traceparent;
    } else if (s.traceparent.empty() && options.start_trace) {
        s.traceparent = bus::new_traceparent();
    }
}

}  // namespace skynet::client_detail

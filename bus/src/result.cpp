#include "skynet/bus/result.hpp"

namespace skynet::bus {

call_error::call_error(struct error e)
    : std::runtime_error(std::string(to_string(e.code)) + (e.detail.empty() ? "" : ": ") +
                         e.detail),
      error_(std::move(e)) {}

}  // namespace skynet::bus

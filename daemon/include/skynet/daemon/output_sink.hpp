#pragma once
#include <string_view>
namespace skynet::daemon {
// Where a managed process's output goes (a rotating log file in skyd).
class output_sink {
public:
    virtual ~output_sink() = default;
    virtual void write(std::string_view bytes) = 0;
};
}  // namespace skynet::daemon

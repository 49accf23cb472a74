#pragma once
// What a ZeroMQ endpoint in an option must look like, checked where the
// option is given (a constructor, a command line) rather than deep in a
// background thread, where libzmq's EINVAL would end the process.

#include <optional>
#include <string>
#include <string_view>

namespace skynet::runtime {

// Connecting needs a port; binding may also leave it to the system ("*").
enum class endpoint_use { connect, bind };

// Why `value` is not an endpoint we can use, or nothing if it is one:
// tcp://host:port (port 1-65535; "*" too when binding), ipc://path or
// inproc://name. Never throws.
std::optional<std::string> endpoint_problem(std::string_view value,
                                            endpoint_use use = endpoint_use::connect);

// Throws std::invalid_argument naming the option and the value, such as
//   client_options.brokers: "127.0.0.1:5555" is not an endpoint (expected
//   tcp://host:port, ipc://path or inproc://name)
void check_endpoint(std::string_view option, std::string_view value,
                    endpoint_use use = endpoint_use::connect);

}  // namespace skynet::runtime

#pragma once
// The client's options, checked before anything starts: what a constructor
// can catch throws there, naming the option, instead of failing later on a
// background thread.

#include "skynet/client/client.hpp"

namespace skynet::client_detail {

// Throws std::invalid_argument "client_options.<name>: <value> ...".
void check_options(const client_options& options);

}  // namespace skynet::client_detail

#pragma once
// A deploy file: {"processes": [{spec}, ...]}, each entry with the fields
// of the `deploy` command (process_spec.hpp). What `skyd --deploy FILE`
// starts.

#include <filesystem>
#include <vector>

#include "skynet/bus/result.hpp"
#include "skynet/daemon/process_spec.hpp"

namespace skynet::daemon {

// Its specs, or an error "<path>:<line>: <what>" (bad_request) for a file
// that cannot be read, is not JSON, or holds a bad entry. The file itself
// is left as it is: it is the operator's.
bus::result<std::vector<process_spec>> read_deploy_file(const std::filesystem::path& path);

}  // namespace skynet::daemon

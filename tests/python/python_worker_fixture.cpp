#include "python_worker_fixture.hpp"

namespace skynet::testing {

std::unique_ptr<child_process> start_python_worker(const std::string& endpoint,
                                                   std::vector<std::string> extra) {
    std::vector<std::string> args{SKYNET_PYTHON_FIXTURE, "--broker", endpoint, "--heartbeat", "0.1",
                                  "--log-level",         "warn"};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<child_process>(SKYNET_PYTHON3, std::move(args));
}

}  // namespace skynet::testing

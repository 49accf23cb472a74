// skynet-chaos-worker: the service the chaos test calls. Method Work {key, ms}
// notes the request in its execution log, then sleeps `ms` and answers {key}.
//
// The log is the test's evidence of what ran: one line per execution,
// "<key> <i|n> <retry>\n", appended with one write() on an O_APPEND file, so
// that a SIGKILL loses at most the line being written and lines of several
// incarnations (or several handler threads) never interleave. It is written
// before the work starts and before any reply: a request answered OK is always
// in the log, and a request killed before its line was written did not run.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <thread>

#include "skynet/service/serve.hpp"

namespace {

using namespace skynet;

// Appends `line` whole, or throws: a request we cannot log must not run.
void append_line(int fd, const std::string& line) {
    auto written = ::write(fd, line.data(), line.size());
    if (written != static_cast<ssize_t>(line.size())) {
        throw std::runtime_error("cannot write the execution log");
    }
}

bus::bson_doc work(int log_fd, const request& req) {
    auto key = req.params().get_string("key");
    auto ms = req.params().get_int64("ms");
    if (!key || key->empty() || !ms || *ms < 0) {
        throw service_failure(bus::errc::bad_request, "Work needs {key: text, ms: >= 0}");
    }
    std::string line;
    line.reserve(key->size() + 16);
    line.append(*key).append(req.idempotent() ? " i " : " n ");
    line.append(std::to_string(req.retry())).append("\n");
    append_line(log_fd, line);
    std::this_thread::sleep_for(std::min(std::chrono::milliseconds(*ms), req.remaining()));
    bus::bson_doc result;
    result.add_string("key", *key);
    return result;
}

}  // namespace

int main(int argc, char** argv) {
    command_line args(program_kind::service, "skynet-chaos-worker",
                      "answers Work {key, ms} and logs every request it runs", {.concurrency = 8});
    args.add()("log", runtime::po::value<std::string>()->required(),
               "execution log: one line appended per request run");
    args.parse_or_exit(argc, argv);
    const auto path = args.get<std::string>("log");
    const int log_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (log_fd < 0) {
        std::cerr << "skynet-chaos-worker: cannot open " << path << "\n";
        return 1;
    }
    int status = run_service(args, "chaos", [log_fd](worker& w) {
        w.handle("Work", [log_fd](const request& req) { return work(log_fd, req); });
    });
    ::close(log_fd);
    return status;
}

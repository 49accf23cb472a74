// A process served by runtime::serve() that writes lines to its stdout
// until the write fails, for sigpipe_test.cpp:
//   sigpipe_child MARKER_FILE
// Writes "EPIPE" (or the error it got) to MARKER_FILE and exits 0 on EPIPE.
// Were SIGPIPE not ignored, it would die of it instead.
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "skynet/runtime/serve.hpp"

namespace {

void write_until_refused(const std::string& marker, const std::atomic<bool>& stopped) {
    const std::string line = "a line for a reader that will go away\n";
    while (!stopped.load()) {
        if (::write(STDOUT_FILENO, line.data(), line.size()) >= 0 || errno == EINTR) {
            continue;
        }
        const int error = errno;
        std::ofstream(marker) << (error == EPIPE ? "EPIPE" : std::strerror(error)) << '\n';
        if (error != EPIPE) {
            throw std::runtime_error(std::strerror(error));
        }
        return;
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: sigpipe_child MARKER_FILE\n");
        return 2;
    }
    const std::string marker = argv[1];
    return skynet::runtime::serve([&] {
        auto stopped = std::make_shared<std::atomic<bool>>(false);
        return std::vector<skynet::runtime::served_part>{
            {"writer", [marker, stopped] { write_until_refused(marker, *stopped); },
             [stopped] { stopped->store(true); }}};
    });
}

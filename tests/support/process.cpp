#include "process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <system_error>

namespace skynet::testing {

namespace {

std::filesystem::path scratch_file(const char* kind) {
    static std::atomic<int> counter{0};
    return std::filesystem::temp_directory_path() / ("skynet-test-" + std::to_string(::getpid()) +
                                                     "-" + std::to_string(counter++) + "." + kind);
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

std::filesystem::path bin_dir() {
    return SKYNET_BIN_DIR;
}

child_process::child_process(const std::string& program, std::vector<std::string> args)
    : out_path_(scratch_file("out")), err_path_(scratch_file("err")) {
    runtime::spawn_options options;
    options.argv.push_back(program.find('/') == std::string::npos ? (bin_dir() / program).string()
                                                                  : program);
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.out = runtime::child_stream::file(out_path_);
    options.err = runtime::child_stream::file(err_path_);
    process_ = runtime::child_process(std::move(options));
}

child_process::~child_process() {
    process_ = runtime::child_process();  // SIGKILL to its group if it still runs, and reaped
    std::error_code ignored;
    std::filesystem::remove(out_path_, ignored);
    std::filesystem::remove(err_path_, ignored);
}

void child_process::signal(int signo) const {
    process_.signal(signo);
}

std::optional<int> child_process::wait_exit(std::chrono::milliseconds limit) {
    auto status = process_.wait_for(limit);
    return status ? std::optional<int>(status->shell_status()) : std::nullopt;
}

bool child_process::running() {
    return process_.running();
}

std::string child_process::stdout_text() const {
    return read_file(out_path_);
}
std::string child_process::stderr_text() const {
    return read_file(err_path_);
}

run_result run_program(const std::string& program, std::vector<std::string> args,
                       std::chrono::milliseconds limit) {
    child_process child(program, std::move(args));
    run_result result;
    auto status = child.wait_exit(limit);
    result.status = status.value_or(-1);
    result.out = child.stdout_text();
    result.err = child.stderr_text();
    return result;
}

int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

std::string loopback_endpoint(int port) {
    return "tcp://127.0.0.1:" + std::to_string(port);
}

}  // namespace skynet::testing

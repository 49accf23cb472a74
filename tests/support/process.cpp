#include "process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "eventually.hpp"

namespace skynet::testing {

namespace {

std::filesystem::path scratch_file(const char* kind) {
    static std::atomic<int> counter{0};
    return std::filesystem::temp_directory_path() /
           ("skynet-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "." +
            kind);
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

int decode_status(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::filesystem::path bin_dir() { return SKYNET_BIN_DIR; }

child_process::child_process(const std::string& program, std::vector<std::string> args)
    : out_path_(scratch_file("out")), err_path_(scratch_file("err")) {
    std::string path = program.find('/') == std::string::npos ? (bin_dir() / program).string()
                                                              : program;
    std::vector<char*> argv;
    argv.push_back(path.data());
    for (auto& a : args) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid_ == 0) {
        // The child: own process group, so that a test's kill reaches only it;
        // signals unblocked, since the test runner may block some.
        ::setpgid(0, 0);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        int out = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(out, 1);
        ::dup2(err, 2);
        ::execv(path.c_str(), argv.data());
        ::_exit(127);
    }
}

child_process::~child_process() {
    if (running()) {
        ::kill(pid_, SIGKILL);
        wait_exit(std::chrono::seconds(10));
    }
    std::error_code ignored;
    std::filesystem::remove(out_path_, ignored);
    std::filesystem::remove(err_path_, ignored);
}

void child_process::signal(int signo) const { ::kill(pid_, signo); }

std::optional<int> child_process::wait_exit(std::chrono::milliseconds limit) {
    eventually([&] { return !running(); }, limit);
    return status_;
}

bool child_process::running() {
    if (status_) {
        return false;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        status_ = decode_status(status);
        return false;
    }
    return true;
}

std::string child_process::stdout_text() const { return read_file(out_path_); }
std::string child_process::stderr_text() const { return read_file(err_path_); }

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

std::string loopback_endpoint(int port) { return "tcp://127.0.0.1:" + std::to_string(port); }

}  // namespace skynet::testing

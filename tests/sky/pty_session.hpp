#pragma once
// A program run on a pseudo-terminal (forkpty), as a person at a terminal
// would run it: what it writes is read back, keys are typed into it.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace skynet::testing {

class pty_session {
public:
    // Runs `program` (a path) with `args` and these extra environment
    // variables ("NAME=value"), TERM=xterm, on a 200x50 terminal.
    pty_session(const std::string& program, const std::vector<std::string>& args,
                const std::vector<std::string>& env);
    ~pty_session();  // SIGKILL if still running
    pty_session(const pty_session&) = delete;
    pty_session& operator=(const pty_session&) = delete;

    // Types `keys` once the program reads the terminal key by key (libedit
    // switches it out of canonical mode only after printing its prompt:
    // keys typed before would be taken by the line discipline instead).
    void type(const std::string& keys);
    // Reads until `text` appears after everything matched so far; true if
    // it did within `limit`. What was read is kept in transcript().
    bool expect(const std::string& text,
                std::chrono::milliseconds limit = std::chrono::seconds(15));
    // Waits for the exit; its status, or -1 if it did not end within `limit`.
    int wait_exit(std::chrono::milliseconds limit = std::chrono::seconds(10));
    const std::string& transcript() const noexcept { return transcript_; }

private:
    void read_some(int timeout_ms);

    pid_t pid_ = -1;
    int fd_ = -1;
    std::string transcript_;
    std::size_t matched_ = 0;  // expect() searches after this
};

}  // namespace skynet::testing

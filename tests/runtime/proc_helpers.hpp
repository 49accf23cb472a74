#pragma once
// Helpers for the subreaper and process_handle tests: a pid a child prints,
// and the parent of a process as /proc says.

#include <sys/types.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>

namespace skynet::testing {

// Reads one line (a pid) from `fd`; -1 if it ends first.
inline pid_t read_pid_line(int fd) {
    std::string text;
    char c = 0;
    while (::read(fd, &c, 1) == 1 && c != '\n') {
        text += c;
    }
    return text.empty() ? -1 : static_cast<pid_t>(std::stoi(text));
}

// Field 4 of /proc/<pid>/stat; -1 if there is no such process.
inline pid_t parent_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = line.rfind(')');
    if (close == std::string::npos || close + 4 >= line.size()) {
        return -1;
    }
    return static_cast<pid_t>(std::stoi(line.substr(close + 4)));
}

// Field 3 of /proc/<pid>/stat ('S', 'Z', ...); '?' if there is no such process.
inline char state_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = line.rfind(')');
    return close == std::string::npos || close + 2 >= line.size() ? '?' : line[close + 2];
}

}  // namespace skynet::testing

#pragma once
// One sky command as typed: the command word, its arguments, the filters and
// options, from the command line or a line of the shell. Parsed with
// Boost.Program_options, so both accept the same spellings.

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "skynet/sky/filters.hpp"

namespace skynet::sky {

// Bad input: one line, printed as "sky: <what>".
class usage_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct invocation {
    std::string command;            // empty: none given
    std::vector<std::string> args;  // the words after the command
    filters filter;
    std::optional<std::string> redis;    // --redis, if given
    std::optional<std::string> prefix;   // --prefix, if given
    std::optional<std::string> history;  // --history, if given (cli)
    std::optional<std::chrono::milliseconds> timeout;
    bool json = false;
    bool all = false;
    bool yes = false;
    bool raw = false;  // call: plain frames, not our envelope
    bool help = false;
    // The host daemon's commands (deploy, logs, restart --rolling).
    std::optional<int> count;           // deploy --count N
    std::optional<std::string> policy;  // deploy --restart always|on-failure|never
    std::vector<std::string> env;       // deploy --env K=V (repeatable)
    std::optional<std::string> cwd;     // deploy --cwd DIR
    std::optional<int> tail;            // logs --tail N
    std::optional<std::string> grep;    // logs --grep RE
    bool follow = false;                // logs -f
    bool rolling = false;               // restart --rolling
    std::optional<std::string> listen;  // dashboard --listen HOST:PORT
    std::optional<int> max_streams;     // dashboard --max-streams N
    // CURVE (issue #17): key files for calls (or SKYNET_CURVE_KEY and
    // SKYNET_BROKER_KEY), and keygen's output directory.
    std::optional<std::string> curve_key;   // --curve-key FILE: our secret key
    std::optional<std::string> broker_key;  // --broker-key FILE: the brokers' public key
    std::optional<std::string> dir;         // keygen --dir DIR
};

// Parses the words after "sky" (or a line of the shell). Options may come
// before or after the command, except after deploy's PATH: the words after
// it are the program's own arguments, taken as they are. Throws usage_error.
invocation parse_invocation(const std::vector<std::string>& words);

// Splits a shell line into words: blanks separate them, '...' and "..."
// quote (a backslash escapes the next character outside single quotes).
// Throws usage_error for an unterminated quote.
std::vector<std::string> split_words(const std::string& line);

// "500ms", "2s", "1500" (milliseconds). Throws usage_error.
std::chrono::milliseconds parse_duration(const std::string& text);

// The option names sky knows, for completion ("--service", ...).
const std::vector<std::string>& option_names();

}  // namespace skynet::sky

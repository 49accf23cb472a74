#include "shell.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "completion.hpp"
#include "exit_codes.hpp"
#include "line_editor.hpp"

namespace skynet::sky {

namespace {

std::string default_history() {
    const char* home = std::getenv("HOME");
    return std::string(home != nullptr && *home != '\0' ? home : ".") + "/.sky_history";
}

class shell {
public:
    shell(session& s, const std::string& history, filters initial)
        : session_(s), editor_(history), sticky_(std::move(initial)) {
        editor_.completer = [this](const std::string& line) {
            return complete_line(session_, with_sticky(line), true);
        };
        session_.confirm = [this](const std::string& question) {
            auto answer = editor_.read(question, false);
            return answer && (*answer == "y" || *answer == "Y" || *answer == "yes");
        };
    }

    void run() {
        while (auto line = editor_.read(prompt(), true)) {
            if (!execute(*line)) {
                break;
            }
        }
    }

private:
    // Sticky filters take part in completion (versions of the set service).
    std::string with_sticky(const std::string& line) const {
        return sticky_.service && line.find("--service") == std::string::npos
                   ? "--service " + *sticky_.service + " " + line
                   : line;
    }

    std::string prompt() const {
        auto filters = sticky_.describe();
        return filters.empty() ? "sky> " : "sky [" + filters + "]> ";
    }

    // False when the shell should end.
    bool execute(const std::string& line) {
        try {
            auto words = words_of(line);
            if (words.empty()) {
                return true;
            }
            if (words[0] == "exit" || words[0] == "quit") {
                return false;
            }
            run_words(words);
        } catch (const usage_error& e) {
            session_.err << "sky: " << e.what() << std::endl;
        } catch (const std::exception& e) {
            session_.err << "sky: " << e.what() << std::endl;
        }
        return true;
    }

    // As bash splits a line, except that `call`'s JSON may go unquoted: from
    // the first '{' to the last '}' it is one word, taken as typed.
    static std::vector<std::string> words_of(const std::string& line) {
        auto open = line.find('{');
        auto close = line.rfind('}');
        if (open == std::string::npos || line.find_first_of("'\"") < open) {
            return split_words(line);  // quoted JSON: as bash would split it
        }
        auto words = split_words(line.substr(0, open));
        if (words.empty() || words[0] != "call" || open == std::string::npos ||
            close == std::string::npos || close < open) {
            return split_words(line);
        }
        words.push_back(line.substr(open, close - open + 1));
        auto tail = split_words(line.substr(close + 1));
        words.insert(words.end(), tail.begin(), tail.end());
        return words;
    }

    void run_words(const std::vector<std::string>& words) {
        const auto& first = words[0];
        if (first == "help") {
            print_help(session_.out, true);
        } else if (first == "set") {
            set_filter(words);
        } else if (first == "unset") {
            unset_filter(words);
        } else if (first == "filters") {
            auto text = sticky_.describe();
            session_.out << (text.empty() ? "no filters" : text) << std::endl;
        } else if (first == "cli") {
            throw usage_error("already in the shell");
        } else {
            auto inv = parse_invocation(words);
            inv.filter.inherit(sticky_);
            run_command(session_, inv);
        }
    }

    void set_filter(const std::vector<std::string>& words) {
        if (words.size() != 3) {
            throw usage_error(
                "usage: set FILTER VALUE (filters: service, version, host, "
                "region, kind, registered)");
        }
        if (!is_filter(words[1])) {
            throw usage_error("no filter named '" + words[1] + "'");
        }
        auto given = parse_invocation({"--" + words[1] + "=" + words[2]}).filter;
        given.inherit(sticky_);
        sticky_ = given;
    }

    void unset_filter(const std::vector<std::string>& words) {
        if (words.size() != 2 || (!is_filter(words[1]) && words[1] != "all")) {
            throw usage_error("usage: unset FILTER|all");
        }
        const auto& name = words[1];
        auto all = name == "all";
        if (all || name == "service") {
            sticky_.service.reset();
        }
        if (all || name == "version") {
            sticky_.version.reset();
        }
        if (all || name == "host") {
            sticky_.host.reset();
        }
        if (all || name == "region") {
            sticky_.region.reset();
        }
        if (all || name == "kind") {
            sticky_.kind.reset();
        }
        if (all || name == "registered") {
            sticky_.registered.reset();
        }
    }

    static bool is_filter(const std::string& name) {
        const auto& names = filter_names();
        return std::find(names.begin(), names.end(), name) != names.end();
    }

    session& session_;
    line_editor editor_;
    filters sticky_;
};

}  // namespace

int run_shell(const invocation& inv, const std::string& url, const std::string& prefix) {
    if (!inv.args.empty()) {
        throw usage_error("cli takes no arguments (got '" + inv.args.front() + "')");
    }
    session s(url, prefix, std::cout, std::cerr);
    s.in_shell = true;
    // Filters given with `sky ... cli` stick from the start.
    shell sh(s, inv.history.value_or(default_history()), inv.filter);
    sh.run();
    return exit_code::ok;
}

}  // namespace skynet::sky

#include "completion.hpp"

#include <algorithm>
#include <ostream>
#include <set>

#include "commands.hpp"
#include "exit_codes.hpp"

namespace skynet::sky {

namespace {

using registry::instance_kind;

const std::vector<std::string> shell_commands{"set", "unset", "filters", "help", "exit", "quit"};
const std::vector<std::string> levels{"trace", "debug", "info", "warn", "error", "critical", "off"};

// Options followed by a value as the next word (the rest are switches).
bool takes_value(const std::string& option) {
    static const std::set<std::string> with_value{"--redis",   "--prefix", "--service", "--version",
                                                  "--host",    "--region", "--kind",    "--timeout",
                                                  "--history", "--count",  "--restart", "--env",
                                                  "--cwd",     "--tail",   "--grep"};
    return with_value.count(option) != 0;
}

// The kind of name a filter's value is: "services" for service, and so on.
std::string value_kind(std::string name) {
    if (name.starts_with("--")) {
        name = name.substr(2);
    }
    if (name == "service" || name == "version" || name == "host" || name == "region") {
        return name + "s";
    }
    if (name == "kind" || name == "registered") {
        return name;
    }
    if (name == "restart") {
        return "policies";  // deploy's restart policy
    }
    return {};
}

struct line_context {
    std::vector<std::string> positional;  // the command and its arguments so far
    filters typed;                        // the filters given on the line
    std::string kind;                     // what the partial word is
    std::string partial;
};

void note_option(line_context& c, const std::string& option, const std::string& value) {
    if (option == "--service") {
        c.typed.service = value;
    }
    if (option == "--version") {
        c.typed.version = value;
    }
}

// Walks the words before the partial one: positionals, filters, and
// whether the partial word is an option's value.
line_context read_line(const std::vector<std::string>& words, std::string partial) {
    line_context c;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto& w = words[i];
        if (!w.starts_with("-")) {
            c.positional.push_back(w);
        } else if (auto eq = w.find('='); eq != std::string::npos) {
            note_option(c, w.substr(0, eq), w.substr(eq + 1));
        } else if (takes_value(w) && i + 1 < words.size()) {
            note_option(c, w, words[++i]);
        } else if (takes_value(w)) {
            c.kind = value_kind(w);
            c.kind = c.kind.empty() ? "none" : c.kind;
        }
    }
    if (c.kind.empty() && partial.starts_with("-")) {
        auto eq = partial.find('=');
        c.kind = eq == std::string::npos ? "options" : value_kind(partial.substr(0, eq));
        partial = eq == std::string::npos ? partial : partial.substr(eq + 1);
        c.kind = c.kind.empty() ? "none" : c.kind;
    }
    c.partial = std::move(partial);
    return c;
}

// What the next positional word is, from the command before it.
std::string positional_kind(line_context& c, bool in_shell) {
    const auto n = c.positional.size();
    if (n == 0) {
        return in_shell ? "shell-commands" : "commands";
    }
    const auto& command = c.positional[0];
    if (command == "call" && n == 1) {
        return "services";
    }
    if (command == "call" && n == 2) {
        c.typed.service = c.positional[1];
        return "methods";
    }
    if (command == "log" && n == 1) {
        return "levels";
    }
    if (command == "help" && n == 1) {
        return in_shell ? "shell-commands" : "commands";
    }
    if (in_shell && (command == "set" || command == "unset") && n == 1) {
        return "filters";
    }
    if (in_shell && command == "set" && n == 2) {
        return value_kind(c.positional[1]);
    }
    return {};
}

std::vector<std::string> command_names(bool in_shell) {
    std::vector<std::string> out;
    for (const auto& spec : command_table()) {
        if (spec.name != "complete") {  // for the bash script, not for people
            out.emplace_back(spec.name);
        }
    }
    if (in_shell) {
        out.insert(out.end(), shell_commands.begin(), shell_commands.end());
    } else {
        out.push_back("cli");
        out.push_back("help");
    }
    return out;
}

std::vector<std::string> candidates(session& s, const std::string& kind, const filters& f,
                                    bool in_shell) {
    if (kind == "commands" || kind == "shell-commands") {
        return command_names(in_shell);
    }
    if (kind == "options") {
        return option_names();
    }
    if (kind == "levels") {
        return levels;
    }
    if (kind == "filters") {
        return filter_names();
    }
    if (kind == "kind") {
        return {"broker", "worker", "daemon"};
    }
    if (kind == "registered") {
        return {"yes", "no"};
    }
    if (kind == "policies") {
        return {"always", "on-failure", "never"};
    }
    return live_names(s, kind, f);
}

template <class Read>
std::vector<std::string> names_or_nothing(Read&& read) {
    auto names = read();
    return names ? std::move(names).value() : std::vector<std::string>{};
}

}  // namespace

const std::vector<std::string>& filter_names() {
    static const std::vector<std::string> names{"service", "version", "host",
                                                "region",  "kind",    "registered"};
    return names;
}

std::vector<std::string> live_names(session& s, const std::string& kind, const filters& f) {
    auto* c = s.connect_quietly();
    if (c == nullptr) {
        return {};
    }
    if (kind == "hosts") {
        return names_or_nothing([&] { return c->hosts(); });
    }
    if (kind == "regions") {
        return names_or_nothing([&] { return c->regions(); });
    }
    std::set<std::string> names;
    auto found = c->find(registry::query{.service = kind == "services" ? std::nullopt : f.service});
    for (const auto& r : found ? *found : std::vector<registry::instance>{}) {
        if (kind == "services") {
            if (!r.service.empty()) {
                names.insert(r.service);
            }
            for (const auto& served : r.services) {  // a broker's: name and name@version
                names.insert(served.substr(0, served.find('@')));
            }
        } else if (kind == "versions" && !r.version.empty()) {
            names.insert(r.version);
        } else if (kind == "methods") {
            names.insert(r.methods.begin(), r.methods.end());
        }
    }
    return {names.begin(), names.end()};
}

std::vector<std::string> complete_line(session& s, const std::string& line, bool in_shell) {
    std::vector<std::string> words;
    try {
        words = split_words(line);
    } catch (const usage_error&) {
        return {};  // inside an open quote: nothing sensible to offer
    }
    bool fresh = line.empty() || line.back() == ' ' || line.back() == '\t';
    std::string partial = fresh || words.empty() ? std::string() : words.back();
    if (!fresh && !words.empty()) {
        words.pop_back();
    }
    auto c = read_line(words, partial);
    auto kind = c.kind.empty() ? positional_kind(c, in_shell) : c.kind;
    std::vector<std::string> out;
    for (auto& name : candidates(s, kind, c.typed, in_shell)) {
        if (name.starts_with(c.partial)) {
            out.push_back(std::move(name));
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

int run_complete(session& s, const invocation& inv) {
    // `sky complete LINE`: LINE is what bash has before the cursor, program
    // name first.
    auto line = inv.args.empty() ? std::string() : inv.args.front();
    auto space = line.find(' ');
    line = space == std::string::npos ? std::string() : line.substr(space + 1);
    for (const auto& name : complete_line(s, line, false)) {
        s.out << name << '\n';
    }
    s.out.flush();
    return exit_code::ok;
}

}  // namespace skynet::sky

#include "invocation.hpp"

#include <boost/program_options.hpp>
#include <cctype>
#include <cstdlib>

namespace skynet::sky {

namespace po = boost::program_options;

namespace {

po::options_description visible_options() {
    po::options_description d("options");
    d.add_options()("help,h", "print help and exit")(
        "redis", po::value<std::string>(),
        "registry URL (default: SKYNET_REDIS or redis://127.0.0.1:6379)")(
        "prefix", po::value<std::string>(), "registry key prefix (default skynet:)")(
        "service", po::value<std::string>(), "only instances of this service")(
        "version", po::value<std::string>(), "only this version")("host", po::value<std::string>(),
                                                                  "only instances on this host")(
        "region", po::value<std::string>(), "only instances in this region")(
        "kind", po::value<std::string>(), "only brokers, workers or daemons")(
        "registered", po::value<std::string>()->implicit_value("yes"),
        "only registered instances (--registered=no: only unregistered ones)")(
        "json", po::bool_switch(), "print JSON for scripts")(
        "all", po::bool_switch(), "act on every instance when no filter is given")(
        "yes,y", po::bool_switch(), "do not ask for confirmation")(
        "raw", po::bool_switch(), "call: send plain frames to a plain 7/MDP service")(
        "timeout", po::value<std::string>(), "how long to wait: 500ms, 3s (call, steering)")(
        "history", po::value<std::string>(), "the shell's history file (default ~/.sky_history)")(
        "count", po::value<int>(), "deploy: processes to start on each host (default 1)")(
        "restart", po::value<std::string>(), "deploy: always (default), on-failure or never")(
        "env", po::value<std::vector<std::string>>()->composing(),
        "deploy: K=V for the program's environment (repeatable)")(
        "cwd", po::value<std::string>(), "deploy: the program's working directory")(
        "tail", po::value<int>(), "logs: the last N lines (default 20)")(
        "grep", po::value<std::string>(), "logs: only lines matching this regular expression")(
        "follow,f", po::bool_switch(), "logs: keep printing new lines (until Ctrl-C)")(
        "rolling", po::bool_switch(), "restart: one at a time, each once its successor is back")(
        "listen", po::value<std::string>(), "dashboard: HOST:PORT to serve on (127.0.0.1:8080)")(
        "max-streams", po::value<int>(), "dashboard: event streams open at once (default 16)")(
        "curve-key", po::value<std::string>(),
        "call: CURVE, our secret key file (default SKYNET_CURVE_KEY)")(
        "broker-key", po::value<std::string>(),
        "call: CURVE, the brokers' public key file (default SKYNET_BROKER_KEY)")(
        "dir", po::value<std::string>(), "keygen: where to write the key files (default .)");
    return d;
}

// Does this word take the next one as its value ("--host h")?
bool takes_value(const po::options_description& d, const std::string& word) {
    // Our short options (-h, -y, -f) take none.
    if (!word.starts_with("--") || word.find('=') != std::string::npos) {
        return false;
    }
    const auto* option = d.find_nothrow(word.substr(2), false);
    return option != nullptr && option->semantic()->min_tokens() > 0;
}

// Splits off what follows deploy's PATH: the program's arguments, which may
// look like our options ("--redis ..."). Nothing when there is no deploy.
std::vector<std::string> program_arguments(const po::options_description& d,
                                           std::vector<std::string>& words) {
    int positional = 0;  // 1: the command word seen; 2: deploy's PATH
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto& w = words[i];
        if (takes_value(d, w)) {
            ++i;
            continue;
        }
        if (!w.empty() && w[0] == '-') {
            continue;
        }
        ++positional;
        if (positional == 1 && w != "deploy") {
            return {};
        }
        if (positional == 2) {
            std::vector<std::string> rest(words.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                          words.end());
            words.resize(i + 1);
            return rest;
        }
    }
    return {};
}

std::optional<std::string> text_of(const po::variables_map& v, const char* name) {
    if (v.count(name) == 0) {
        return std::nullopt;
    }
    auto text = v[name].as<std::string>();
    if (text.empty()) {
        throw usage_error(std::string("--") + name + " needs a value");
    }
    return text;
}

bool yes_or_no(const std::string& text) {
    if (text == "yes" || text == "true" || text == "1") {
        return true;
    }
    if (text == "no" || text == "false" || text == "0") {
        return false;
    }
    throw usage_error("--registered takes yes or no, not '" + text + "'");
}

filters filters_of(const po::variables_map& v) {
    filters f;
    f.service = text_of(v, "service");
    f.version = text_of(v, "version");
    f.host = text_of(v, "host");
    f.region = text_of(v, "region");
    if (auto kind = text_of(v, "kind")) {
        f.kind = registry::kind_from_string(*kind);
        if (!f.kind) {
            throw usage_error("--kind takes broker, worker or daemon, not '" + *kind + "'");
        }
    }
    if (auto registered = text_of(v, "registered")) {
        f.registered = yes_or_no(*registered);
    }
    return f;
}

// An option's text, else the environment variable's, as the other binaries
// read SKYNET_* (runtime/options.hpp).
std::optional<std::string> text_or_env(const po::variables_map& v, const char* name,
                                       const char* variable) {
    if (auto given = text_of(v, name)) {
        return given;
    }
    const char* value = std::getenv(variable);
    return value != nullptr && *value != '\0' ? std::optional<std::string>(value) : std::nullopt;
}

void read_daemon_options(const po::variables_map& v, invocation& inv) {
    if (v.count("count") != 0) {
        inv.count = v["count"].as<int>();
    }
    inv.policy = text_of(v, "restart");
    if (v.count("env") != 0) {
        inv.env = v["env"].as<std::vector<std::string>>();
    }
    inv.cwd = text_of(v, "cwd");
    if (v.count("tail") != 0) {
        inv.tail = v["tail"].as<int>();
    }
    inv.grep = text_of(v, "grep");
    inv.follow = v["follow"].as<bool>();
    inv.rolling = v["rolling"].as<bool>();
}

}  // namespace

invocation parse_invocation(const std::vector<std::string>& given) {
    po::options_description all = visible_options();
    all.add_options()("words", po::value<std::vector<std::string>>());
    po::positional_options_description positional;
    positional.add("words", -1);
    auto words = given;
    auto program_args = program_arguments(all, words);
    po::variables_map v;
    try {
        po::store(po::command_line_parser(words).options(all).positional(positional).run(), v);
        po::notify(v);
    } catch (const po::error& e) {
        throw usage_error(e.what());
    }
    invocation inv;
    if (v.count("words") != 0) {
        inv.args = v["words"].as<std::vector<std::string>>();
        inv.command = inv.args.front();
        inv.args.erase(inv.args.begin());
    }
    inv.args.insert(inv.args.end(), program_args.begin(), program_args.end());
    read_daemon_options(v, inv);
    inv.filter = filters_of(v);
    inv.redis = text_of(v, "redis");
    inv.prefix = text_of(v, "prefix");
    inv.history = text_of(v, "history");
    if (auto t = text_of(v, "timeout")) {
        inv.timeout = parse_duration(*t);
    }
    inv.json = v["json"].as<bool>();
    inv.all = v["all"].as<bool>();
    inv.yes = v["yes"].as<bool>();
    inv.raw = v["raw"].as<bool>();
    inv.listen = text_of(v, "listen");
    if (v.count("max-streams") != 0) {
        inv.max_streams = v["max-streams"].as<int>();
    }
    inv.curve_key = text_or_env(v, "curve-key", "SKYNET_CURVE_KEY");
    inv.broker_key = text_or_env(v, "broker-key", "SKYNET_BROKER_KEY");
    inv.dir = text_of(v, "dir");
    inv.help = v.count("help") != 0;
    return inv;
}

std::vector<std::string> split_words(const std::string& line) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            } else if (c == '\\' && quote == '"' && i + 1 < line.size()) {
                word += line[++i];
            } else {
                word += c;
            }
        } else if (c == '\'' || c == '"') {
            quote = c;
            in_word = true;
        } else if (c == '\\' && i + 1 < line.size()) {
            word += line[++i];
            in_word = true;
        } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            if (in_word) {
                words.push_back(std::exchange(word, {}));
            }
            in_word = false;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (quote != 0) {
        throw usage_error(std::string("unterminated ") + quote + " quote");
    }
    if (in_word) {
        words.push_back(word);
    }
    return words;
}

std::chrono::milliseconds parse_duration(const std::string& text) {
    std::size_t used = 0;
    long long number = -1;
    try {
        number = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    auto unit = text.substr(used);
    if (used == 0 || number < 0 || (unit != "" && unit != "ms" && unit != "s")) {
        throw usage_error("a duration is a number with ms or s, such as 500ms or 3s, not '" + text +
                          "'");
    }
    return std::chrono::milliseconds(unit == "s" ? number * 1000 : number);
}

const std::vector<std::string>& option_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        auto described = visible_options();
        for (const auto& option : described.options()) {
            out.push_back("--" + option->long_name());
        }
        return out;
    }();
    return names;
}

}  // namespace skynet::sky

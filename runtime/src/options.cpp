#include "skynet/runtime/options.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "skynet/bus/origin.hpp"
#include "skynet/runtime/logging.hpp"

namespace skynet::runtime {
namespace {

constexpr std::string_view env_prefix = "SKYNET_";

// SKYNET_LOG_LEVEL -> log-level, if that is one of our options; other SKYNET_*
// variables belong to someone else and are ignored.
std::string option_of_variable(const std::string& variable, const po::options_description& known) {
    if (variable.rfind(env_prefix, 0) != 0) {
        return {};
    }
    std::string name = variable.substr(env_prefix.size());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
        return c == '_' ? '-' : static_cast<char>(std::tolower(c));
    });
    return known.find_nothrow(name, false) != nullptr ? name : std::string{};
}

}  // namespace

option_parser::option_parser(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)), own_(program_ + " options") {}

po::options_description option_parser::all_options() const {
    po::options_description common("Common options (also SKYNET_<NAME> variables, or --config)");
    common.add_options()("help,h", "print this help and exit")(
        "config", po::value<std::string>(), "read more options from this INI file")(
        "redis", po::value<std::string>()->default_value("redis://127.0.0.1:6379"),
        "registry URL: redis://[user:password@]host:port[/db], or through Redis Sentinel "
        "redis-sentinel://[user:password@]host:port[,host:port...]/master[/db]")(
        "prefix", po::value<std::string>()->default_value("skynet:"),
        "prefix of every registry key, so that clusters can share a Redis")(
        "region", po::value<std::string>()->default_value("local"), "region of this process")(
        "host",
        // Shown as a word, not this machine's name: --help feeds the man
        // pages and docs/options.md, which must not depend on where they
        // were made.
        po::value<std::string>()->default_value(bus::local_host_name(), "hostname"),
        "name of this host in the registry")("log-level",
                                             po::value<std::string>()->default_value("info"),
                                             "trace, debug, info, warn, error, critical or off");
    po::options_description all;
    all.add(own_).add(common);
    return all;
}

bool option_parser::parse(int argc, const char* const* argv) {
    auto all = all_options();
    values_.clear();
    try {
        po::store(po::command_line_parser(argc, argv).options(all).run(), values_);
        if (values_.count("help") != 0) {
            std::cout << program_ << ": " << summary_ << "\n\n" << all << "\n";
            return false;
        }
        po::store(po::parse_environment(
                      all, [&](const std::string& v) { return option_of_variable(v, all); }),
                  values_);
        if (values_.count("config") != 0) {
            auto path = values_["config"].as<std::string>();
            std::ifstream file(path);
            if (!file) {
                throw options_error("cannot read config file " + path);
            }
            po::store(po::parse_config_file(file, all), values_);
        }
        po::notify(values_);
    } catch (const po::error& e) {
        throw options_error(e.what());
    }
    common_.redis = values_["redis"].as<std::string>();
    common_.redis_given = !values_["redis"].defaulted();
    common_.prefix = values_["prefix"].as<std::string>();
    common_.region = values_["region"].as<std::string>();
    common_.host = values_["host"].as<std::string>();
    common_.log_level = values_["log-level"].as<std::string>();
    common_.config = values_.count("config") != 0 ? values_["config"].as<std::string>() : "";
    if (!is_log_level(common_.log_level)) {
        throw options_error(
            "--log-level must be one of trace, debug, info, warn, error, "
            "critical, off (got '" +
            common_.log_level + "')");
    }
    set_log_level(common_.log_level);
    return true;
}

void option_parser::parse_or_exit(int argc, const char* const* argv) {
    try {
        if (!parse(argc, argv)) {
            std::exit(0);
        }
    } catch (const options_error& e) {
        exit_with_error(e.what());
    }
}

void option_parser::exit_with_error(const std::string& problem) const {
    std::cerr << program_ << ": " << problem << " (try --help)\n";
    std::exit(2);
}

}  // namespace skynet::runtime

#pragma once
// Options shared by every Skynet binary, read with Boost.Program_options from
// three sources, the first that sets an option winning: the command line, the
// SKYNET_* environment (SKYNET_LOG_LEVEL sets --log-level), then the file
// named by --config (INI style: "log-level = debug").

#include <boost/program_options.hpp>
#include <stdexcept>
#include <string>

namespace skynet::runtime {

namespace po = boost::program_options;

struct common_options {
    std::string redis;  // registry URL
    // Set by the command line, environment or config file, not the default:
    // binaries that can run without a registry use one only when asked.
    bool redis_given = false;
    std::string prefix;     // of every registry key, "skynet:" by default
    std::string region;     // this process's region
    std::string host;       // this machine's name in the registry
    std::string log_level;  // trace, debug, info, warn, error, critical, off
    std::string config;     // the config file read, if any
};

// A command line, environment or config file that cannot be used. what() is
// one line naming the option and the problem.
class options_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class option_parser {
public:
    // `program` is the binary's name, `summary` one line on what it does.
    option_parser(std::string program, std::string summary);

    // Adds this program's own options: parser.add()("bind", po::value<...>(), "...").
    po::options_description_easy_init add() { return own_.add_options(); }

    // Parses all sources. Returns false when --help was asked for and printed
    // to stdout (the program should exit 0). Throws options_error.
    bool parse(int argc, const char* const* argv);

    // parse(), but a bad option prints "<program>: <problem>" and a hint to
    // stderr and exits with status 2; --help exits with 0.
    void parse_or_exit(int argc, const char* const* argv);
    // For checks after parsing: prints "<program>: <problem>" as a bad option
    // does and exits with status 2.
    [[noreturn]] void exit_with_error(const std::string& problem) const;

    const po::variables_map& values() const noexcept { return values_; }
    const common_options& common() const noexcept { return common_; }
    const std::string& program() const noexcept { return program_; }

    template <class T>
    T get(const std::string& name) const {
        return values_[name].as<T>();
    }
    bool has(const std::string& name) const { return values_.count(name) > 0; }

private:
    po::options_description all_options() const;

    std::string program_;
    std::string summary_;
    po::options_description own_;
    po::variables_map values_;
    common_options common_;
};

}  // namespace skynet::runtime

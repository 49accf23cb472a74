// sky: reads and steers a Skynet cluster through its Redis registry.
// `sky help` lists the commands, filters and exit statuses.

#include <unistd.h>

#include <iostream>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "shell.hpp"
#include "skynet/runtime/logging.hpp"

namespace {

using namespace skynet::sky;

// Asks on the terminal, when there is one; scripts are not asked.
bool ask(const std::string& question) {
    std::cout << question << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) {
        return false;
    }
    return answer == "y" || answer == "Y" || answer == "yes";
}

int run(const std::vector<std::string>& words) {
    auto inv = parse_invocation(words);
    if (inv.help || inv.command == "help" || inv.command.empty()) {
        print_help(inv.command.empty() && !inv.help ? std::cerr : std::cout, false);
        return inv.command.empty() && !inv.help ? exit_code::usage : exit_code::ok;
    }
    auto url = registry_url(inv.redis);
    auto prefix = inv.prefix.value_or("skynet:");
    if (inv.command == "cli") {
        return run_shell(inv, url, prefix);
    }
    session s(url, prefix, std::cout, std::cerr);
    if (::isatty(STDIN_FILENO) != 0 && ::isatty(STDOUT_FILENO) != 0) {
        s.confirm = ask;
    }
    return run_command(s, inv);
}

}  // namespace

int main(int argc, char** argv) {
    // Our own libraries log warnings on stderr; sky speaks for itself.
    skynet::runtime::set_log_level("off");
    try {
        return run(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const usage_error& e) {
        std::cerr << "sky: " << e.what() << std::endl;
        return exit_code::usage;
    } catch (const std::exception& e) {
        std::cerr << "sky: " << e.what() << std::endl;
        return exit_code::failed;
    }
}

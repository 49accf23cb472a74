#include "skyd_fixture.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>

#include "support/eventually.hpp"

namespace skynet::testing {

using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::filesystem::path fresh_dir() {
    static std::atomic<int> counter{0};
    auto dir = std::filesystem::temp_directory_path() /
               ("skyd-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

bool daemon_listening(const registry::options& options, const std::string& host) {
    auto c = registry::connection::open(options);
    if (!c) {
        return false;
    }
    auto found = c->find(registry::query{.host = host, .kind = registry::instance_kind::daemon});
    return found && !found->empty() && found->front().pid > 0;
}

}  // namespace

void SkydTest::SetUp() {
    dir_ = fresh_dir();
    const auto endpoint = loopback_endpoint(free_port());
    broker_ = std::make_unique<child_process>(
        "skynet-broker",
        std::vector<std::string>{"--bind", endpoint, "--redis", redis_.url(), "--region", "r",
                                 "--heartbeat-ms", "250", "--log-level", "warn"});
    ASSERT_TRUE(eventually(
        [&] {
            auto c = registry::connection::open(registry_options());
            if (!c) {
                return false;
            }
            auto found = c->find(registry::query{.kind = registry::instance_kind::broker});
            return found && !found->empty();
        },
        20s))
        << "the broker did not register";
}

void SkydTest::TearDown() {
    // SIGTERM: each skyd stops what it runs (--on-exit stop), then exits.
    for (auto& [host, d] : daemons_) {
        d->signal(SIGTERM);
    }
    for (auto& [host, d] : daemons_) {
        d->wait_exit(30s);
    }
    daemons_.clear();
    broker_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

void SkydTest::start_skyd(const std::string& host, std::vector<std::string> extra) {
    std::vector<std::string> args{"--redis",
                                  redis_.url(),
                                  "--region",
                                  "r",
                                  "--host",
                                  host,
                                  "--state-dir",
                                  (dir_ / host / "state").string(),
                                  "--log-dir",
                                  (dir_ / host / "logs").string(),
                                  "--figures-ms",
                                  "500",
                                  "--restart-delay-ms",
                                  "100",
                                  "--restart-max-ms",
                                  "400",
                                  "--log-level",
                                  "info"};
    args.insert(args.end(), extra.begin(), extra.end());
    daemons_[host] = std::make_unique<child_process>("skyd", std::move(args));
    ASSERT_TRUE(eventually([&] { return daemon_listening(registry_options(), host); }, 20s))
        << "skyd of " << host << " did not register: " << daemons_[host]->stderr_text();
    // Commands reach it once it has subscribed: `processes` answers then.
    ASSERT_TRUE(eventually(
        [&] {
            return sky({"--host", host, "processes"}, 10s).status == 0;
        },
        20s))
        << "skyd of " << host << " takes no command: " << daemons_[host]->stderr_text();
}

void SkydTest::kill_skyd(const std::string& host) {
    auto& d = *daemons_.at(host);
    d.signal(SIGKILL);
    d.wait_exit(10s);
}

run_result SkydTest::sky(std::vector<std::string> args, std::chrono::milliseconds limit) const {
    args.insert(args.begin(), {"--redis", redis_.url()});
    return run_program("sky", std::move(args), limit);
}

std::vector<std::string> SkydTest::deploy(const std::string& host, std::vector<std::string> argv,
                                          std::vector<std::string> options) {
    std::vector<std::string> args{"--host", host, "deploy", "--json"};
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), argv.begin(), argv.end());
    const auto out = sky(args);
    EXPECT_EQ(out.status, 0) << out.out << out.err;
    std::vector<std::string> ids;
    const auto report = json::parse(out.out, nullptr, false);
    if (report.is_discarded()) {
        ADD_FAILURE() << "sky deploy --json printed no JSON: " << out.out;
        return ids;
    }
    for (const auto& h : report.value("hosts", json::array())) {
        for (const auto& id : h.value("ids", json::array())) {
            ids.push_back(id.get<std::string>());
        }
    }
    return ids;
}

std::map<std::string, json> SkydTest::processes() const {
    std::map<std::string, json> rows;
    const auto out = sky({"processes", "--json"});
    const auto report = json::parse(out.out, nullptr, false);
    if (out.status != 0 || report.is_discarded()) {
        return rows;
    }
    for (const auto& row : report.value("processes", json::array())) {
        rows[row.value("id", "")] = row;
    }
    return rows;
}

json SkydTest::field(const std::string& id, const char* name) const {
    const auto rows = processes();
    const auto at = rows.find(id);
    return at == rows.end() ? json() : at->second.value(name, json());
}

registry::options SkydTest::registry_options() const {
    return registry::options_from_url(redis_.url()).value();
}

std::vector<registry::instance> SkydTest::registered(const std::string& service) const {
    auto c = registry::connection::open(registry_options());
    if (!c) {
        return {};
    }
    auto found = c->find(registry::query{.service = service, .registered = true});
    return found ? *found : std::vector<registry::instance>{};
}

std::size_t count_processes_with(const std::string& marker) {
    std::size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        std::ifstream in(entry.path() / "cmdline");
        std::stringstream text;
        text << in.rdbuf();
        auto line = text.str();  // empty for a zombie
        std::replace(line.begin(), line.end(), '\0', ' ');
        n += line.find(marker) != std::string::npos;
    }
    return n;
}

}  // namespace skynet::testing

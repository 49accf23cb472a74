// What a worker says about requests that went wrong: a handler that threw
// and a method nobody registered are logged at warn, with the service, the
// method and the error, and rate-limited (a caller can cause either at
// will); the access log, when asked for, has a line per request.
#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>

#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "skynet/runtime/logging.hpp"
#include "support/broker_fixture.hpp"
#include "support/bus_helpers.hpp"
#include "support/eventually.hpp"

namespace skynet::testing {
namespace {

using namespace std::chrono_literals;

// The "worker" logger's lines, "level message", while it lives. Added
// before any worker starts and removed after they are gone: spdlog's sink
// list is not for changing while others log.
class captured_log : public spdlog::sinks::base_sink<std::mutex> {
public:
    std::vector<std::string> lines_with(const std::string& a, const std::string& b = "") {
        std::lock_guard lock(mutex_);
        std::vector<std::string> found;
        for (const auto& line : lines_) {
            if (line.find(a) != std::string::npos && line.find(b) != std::string::npos) {
                found.push_back(line);
            }
        }
        return found;
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        lines_.push_back(std::string(spdlog::level::to_string_view(msg.level).data()) + " " +
                         std::string(msg.payload.data(), msg.payload.size()));
    }
    void flush_() override {}

private:
    std::vector<std::string> lines_;  // guarded by base_sink's mutex_
};

// The K of "suppressed=K" in a line.
std::uint64_t suppressed_in(const std::string& line) {
    auto at = line.find("suppressed=");
    return at == std::string::npos ? 0 : std::stoull(line.substr(at + 11));
}

class OutcomeLog : public ::testing::Test {
protected:
    void SetUp() override {
        logger_->sinks().push_back(log_);
        auto options = fast_worker_options("noisy", broker_.endpoint());
        options.access_log = true;
        w_ = std::make_unique<worker>(options);
        w_->handle("Ok", [](const request&) { return bson_doc{}; });
        w_->handle("Boom", [](const request&) -> bson_doc { throw std::runtime_error("kaboom"); });
        w_->handle("Refuse", [](const request&) -> result<bson_doc> {
            return error{errc::unauthorized, "not you"};
        });
        w_->start();
        ASSERT_TRUE(wait_for_service(c_, "noisy"));
    }
    void TearDown() override {
        w_.reset();
        auto& sinks = logger_->sinks();
        sinks.erase(std::remove(sinks.begin(), sinks.end(), log_), sinks.end());
    }

    std::shared_ptr<spdlog::logger> logger_ = runtime::logger_for("worker");
    std::shared_ptr<captured_log> log_ = std::make_shared<captured_log>();
    running_broker broker_;
    client c_{fast_client_options(broker_.endpoint())};
    std::unique_ptr<worker> w_;
};

TEST_F(OutcomeLog, AHandlerThatThrowsIsAWarningNamingServiceMethodAndError) {
    EXPECT_EQ(c_.call("noisy", "Boom", bson_view{}).code(), errc::service_error);
    EXPECT_TRUE(eventually([&] {
        return log_->lines_with("warning handler threw service=noisy method=Boom", "kaboom")
                   .size() == 1;
    }));
    // An error the handler returns is its answer, not a fault.
    EXPECT_EQ(c_.call("noisy", "Refuse", bson_view{}).code(), errc::unauthorized);
    EXPECT_TRUE(log_->lines_with("warning", "method=Refuse").empty());
}

TEST_F(OutcomeLog, AnUnknownMethodIsAWarning) {
    EXPECT_EQ(c_.call("noisy", "Nope", bson_view{}).code(), errc::unknown_method);
    EXPECT_TRUE(eventually([&] {
        return log_->lines_with("warning unknown method service=noisy method=Nope").size() == 1;
    }));
}

TEST_F(OutcomeLog, WarningsAreRateLimitedAndCountWhatTheyHeldBack) {
    constexpr int calls = 300;
    std::vector<std::future<call_result>> pending;
    for (int i = 0; i < calls; ++i) {
        pending.push_back(c_.call_future("noisy", "Boom", bson_view{}));
    }
    for (auto& p : pending) {
        EXPECT_EQ(p.get().code(), errc::service_error);
    }
    auto logged = log_->lines_with("warning handler threw").size();
    EXPECT_GE(logged, 1u);
    EXPECT_LT(logged, static_cast<std::size_t>(calls));
    // A later warning says how many were held back since the last one.
    int more = 0;
    EXPECT_TRUE(eventually([&] {
        (void)c_.call("noisy", "Boom", bson_view{});
        ++more;
        for (const auto& line : log_->lines_with("warning handler threw")) {
            if (suppressed_in(line) > 0) {
                return true;
            }
        }
        return false;
    }));
    // Every failure was either logged or counted, never both.
    std::uint64_t accounted = 0;
    for (const auto& line : log_->lines_with("warning handler threw")) {
        accounted += 1 + suppressed_in(line);
    }
    EXPECT_LE(accounted, static_cast<std::uint64_t>(calls + more));
}

TEST_F(OutcomeLog, TheAccessLogHasALinePerRequestWithItsOutcome) {
    EXPECT_TRUE(c_.call("noisy", "Ok", bson_view{}).ok());
    EXPECT_EQ(c_.call("noisy", "Refuse", bson_view{}).code(), errc::unauthorized);
    EXPECT_EQ(c_.call("noisy", "Nope", bson_view{}).code(), errc::unknown_method);
    EXPECT_TRUE(eventually([&] {
        return log_->lines_with("info access service=noisy method=Ok", "code=OK took_us=").size() ==
                   1 &&
               log_->lines_with("method=Refuse", "code=UNAUTHORIZED").size() == 1 &&
               log_->lines_with("method=Nope", "code=UNKNOWN_METHOD").size() == 1;
    }));
}

}  // namespace
}  // namespace skynet::testing

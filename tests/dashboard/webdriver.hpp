#pragma once
// A headless Chromium driven through chromedriver with the W3C WebDriver
// HTTP protocol (httplib::Client + JSON): Debian's /usr/bin/chromium and
// /usr/bin/chromedriver, nothing downloaded. Enough for the dashboard's
// test: open a page, find elements, read text, type, click, accept a
// confirm(), run a script, take a screenshot.

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace httplib {
class Client;
}

namespace skynet::testing {

// A WebDriver command that failed: the W3C error code ("no such element",
// "stale element reference", "no such alert"...) and its message.
struct webdriver_error : std::runtime_error {
    webdriver_error(std::string code_, const std::string& message)
        : std::runtime_error(code_ + ": " + message), code(std::move(code_)) {}
    std::string code;
};

class browser {
public:
    static constexpr const char* chromium_path = "/usr/bin/chromium";
    static constexpr const char* chromedriver_path = "/usr/bin/chromedriver";
    // Both binaries present: the test can run.
    static bool available();

    // Starts chromedriver on a free port and a headless session with a
    // user-data-dir of its own. Throws std::runtime_error if it cannot.
    browser();
    ~browser();  // ends the session, stops chromedriver, removes the profile
    browser(const browser&) = delete;
    browser& operator=(const browser&) = delete;

    void open(const std::string& url);
    // Element ids (W3C references) matching a CSS selector, in page order.
    std::vector<std::string> find_all(const std::string& css);
    std::optional<std::string> find(const std::string& css);
    std::string text(const std::string& element);
    bool displayed(const std::string& element);
    void click(const std::string& element);
    void clear(const std::string& element);
    void type(const std::string& element, const std::string& keys);
    // Runs `script` (a function body; `arguments` are `args`) in the page
    // and returns what it returns.
    nlohmann::json run(const std::string& script, nlohmann::json args = nlohmann::json::array());
    // The text of an open alert/confirm, or nothing if none is open.
    std::optional<std::string> alert_text();
    void accept_alert();
    // A PNG of the window, written to `path` (its folder made if needed).
    void screenshot(const std::filesystem::path& path);

private:
    nlohmann::json call(const std::string& method, const std::string& path,
                        const nlohmann::json& body = nlohmann::json::object());
    nlohmann::json session_call(const std::string& method, const std::string& path,
                                const nlohmann::json& body = nlohmann::json::object());

    std::filesystem::path profile_;
    int port_ = 0;
    std::unique_ptr<child_process> driver_;
    std::unique_ptr<httplib::Client> http_;
    std::string session_;
};

// Decodes standard base64 (the screenshot's encoding).
std::string base64_decode(const std::string& text);

}  // namespace skynet::testing

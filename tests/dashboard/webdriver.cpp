#include "webdriver.hpp"

#include <httplib.h>
#include <unistd.h>

#include <fstream>

#include "support/eventually.hpp"

namespace skynet::testing {

namespace {

using json = nlohmann::json;

// The W3C key of an element reference in a JSON answer.
constexpr const char* element_key = "element-6066-11e4-a52e-4f735466cecf";

std::filesystem::path make_profile_dir() {
    auto pattern = (std::filesystem::temp_directory_path() / "skynet-chromium-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed for the browser's profile");
    }
    return pattern;
}

json session_request(const std::filesystem::path& profile) {
    json args =
        json::array({"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--user-data-dir=" + profile.string(), "--window-size=1400,1000",
                     "--no-first-run", "--disable-background-networking", "--disable-extensions"});
    return {{"capabilities",
             {{"alwaysMatch",
               {{"browserName", "chrome"},
                {"unhandledPromptBehavior", "ignore"},
                {"goog:chromeOptions", {{"binary", browser::chromium_path}, {"args", args}}}}}}}};
}

}  // namespace

bool browser::available() {
    return ::access(chromium_path, X_OK) == 0 && ::access(chromedriver_path, X_OK) == 0;
}

browser::browser() : profile_(make_profile_dir()), port_(free_port()) {
    driver_ = std::make_unique<child_process>(
        chromedriver_path, std::vector<std::string>{"--port=" + std::to_string(port_)});
    http_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    // A loaded machine starts a browser slowly: generous limits, not sleeps.
    http_->set_connection_timeout(std::chrono::seconds(5));
    http_->set_read_timeout(std::chrono::seconds(90));
    const bool ready = eventually(
        [&] {
            auto reply = http_->Get("/status");
            return reply && reply->status == 200 &&
                   json::parse(reply->body, nullptr, false)
                       .value("value", json::object())
                       .value("ready", false);
        },
        std::chrono::seconds(30));
    if (!ready) {
        throw std::runtime_error("chromedriver did not start: " + driver_->stderr_text());
    }
    auto created = call("POST", "/session", session_request(profile_));
    session_ = created.at("sessionId").get<std::string>();
}

browser::~browser() {
    if (!session_.empty()) {
        try {
            call("DELETE", "/session/" + session_);
        } catch (const std::exception&) {
            // The browser is going away either way: chromedriver's group is killed below.
        }
    }
    http_.reset();
    driver_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(profile_, ignored);
}

json browser::call(const std::string& method, const std::string& path, const json& body) {
    httplib::Result reply{nullptr, httplib::Error::Unknown};
    if (method == "GET") {
        reply = http_->Get(path.c_str());
    } else if (method == "DELETE") {
        reply = http_->Delete(path.c_str());
    } else {
        reply = http_->Post(path.c_str(), body.dump(), "application/json");
    }
    if (!reply) {
        throw webdriver_error("no reply",
                              method + " " + path + ": " + httplib::to_string(reply.error()));
    }
    auto answer = json::parse(reply->body, nullptr, false);
    if (answer.is_discarded()) {
        throw webdriver_error("bad reply", method + " " + path + ": " + reply->body);
    }
    auto value = answer.value("value", json());
    if (reply->status != 200) {
        auto code = value.is_object() ? value.value("error", "unknown error") : "unknown error";
        auto message = value.is_object() ? value.value("message", "") : reply->body;
        throw webdriver_error(code, method + " " + path + ": " + message);
    }
    return value;
}

json browser::session_call(const std::string& method, const std::string& path, const json& body) {
    return call(method, "/session/" + session_ + path, body);
}

void browser::open(const std::string& url) {
    session_call("POST", "/url", {{"url", url}});
}

std::vector<std::string> browser::find_all(const std::string& css) {
    auto found = session_call("POST", "/elements", {{"using", "css selector"}, {"value", css}});
    std::vector<std::string> ids;
    for (const auto& element : found) {
        ids.push_back(element.at(element_key).get<std::string>());
    }
    return ids;
}

std::optional<std::string> browser::find(const std::string& css) {
    auto all = find_all(css);
    return all.empty() ? std::nullopt : std::optional<std::string>(all.front());
}

std::string browser::text(const std::string& element) {
    return session_call("GET", "/element/" + element + "/text").get<std::string>();
}

bool browser::displayed(const std::string& element) {
    return session_call("GET", "/element/" + element + "/displayed").get<bool>();
}

void browser::click(const std::string& element) {
    session_call("POST", "/element/" + element + "/click");
}

void browser::clear(const std::string& element) {
    session_call("POST", "/element/" + element + "/clear");
}

void browser::type(const std::string& element, const std::string& keys) {
    session_call("POST", "/element/" + element + "/value", {{"text", keys}});
}

json browser::run(const std::string& script, json args) {
    return session_call("POST", "/execute/sync", {{"script", script}, {"args", std::move(args)}});
}

std::optional<std::string> browser::alert_text() {
    try {
        return session_call("GET", "/alert/text").get<std::string>();
    } catch (const webdriver_error& e) {
        if (e.code == "no such alert") {
            return std::nullopt;
        }
        throw;
    }
}

void browser::accept_alert() {
    session_call("POST", "/alert/accept");
}

void browser::screenshot(const std::filesystem::path& path) {
    auto png = base64_decode(session_call("GET", "/screenshot").get<std::string>());
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << png;
}

std::string base64_decode(const std::string& text) {
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        auto at = alphabet.find(c);
        if (at == std::string_view::npos) {
            continue;  // '=' padding and line breaks
        }
        buffer = (buffer << 6) | static_cast<unsigned>(at);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xff));
        }
    }
    return out;
}

}  // namespace skynet::testing

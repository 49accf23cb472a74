#pragma once
// A service's name as 7/MDP READY and REQUEST carry it: "name" or
// "name@version". DESIGN.md: a request for "name" goes to any ready worker
// of any version of that name, "name@version" only to that version. Every
// part that splits or joins the two does it here.

#include <compare>
#include <string>
#include <string_view>

namespace skynet::bus {

// The two parts of a name as views into the text they came from: they die
// with it. `version` is empty for a bare name.
struct service_name_parts {
    std::string_view name;
    std::string_view version;
};

// Splits at the first '@' when both sides are non-empty: "echo@1.0" is
// {"echo", "1.0"}; "echo", "@1.0" and "echo@" are bare names (the whole
// text). Allocates nothing, never throws: READY names come from the network.
service_name_parts split_service_name(std::string_view text) noexcept;

class service_name {
public:
    service_name() = default;
    // Takes the parts as they are; an empty version is the bare name.
    explicit service_name(std::string name, std::string version = {})
        : name_(std::move(name)), version_(std::move(version)) {}

    // split_service_name(), as a value. Throws std::bad_alloc only.
    static service_name parse(std::string_view text);

    const std::string& name() const noexcept { return name_; }
    const std::string& version() const noexcept { return version_; }
    bool versioned() const noexcept { return !version_.empty(); }
    // The same service with no version: what a plain 7/MDP peer knows it by.
    service_name bare() const { return service_name(name_); }

    // "name@version", or "name" when there is no version.
    std::string to_string() const;

    friend auto operator<=>(const service_name&, const service_name&) = default;
    friend bool operator==(const service_name&, const service_name&) = default;

private:
    std::string name_;
    std::string version_;
};

// "name@version", or "name" when `version` is empty.
std::string join_service_name(std::string_view name, std::string_view version);

}  // namespace skynet::bus

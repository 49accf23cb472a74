#pragma once
// Turns nlohmann-json's exceptions from a user type's from_json into what
// codec<T>::decode reports: the field and what was wrong with it. Not for
// users; part of skynet/bus/json.hpp.

#include <cstddef>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace skynet::bus::json_detail {

// "an object", "a string"; null is just "null".
inline std::string with_article(std::string_view type) {
    if (type == "null") {
        return "null";
    }
    const bool vowel = std::string_view("aeiou").find(type.front()) != std::string_view::npos;
    return (vowel ? "an " : "a ") + std::string(type);
}

// A value where `path` (a JSON pointer) leads, shown as people write it.
struct json_path {
    nlohmann::json::json_pointer pointer;
    std::string shown;  // "items[0].price"
};

// The paths of the values of type `type` under `j`, at most `limit`.
inline void paths_of_type(const nlohmann::json& j, std::string_view type, const json_path& at,
                          std::vector<json_path>& out, std::size_t limit) {
    if (out.size() >= limit) {
        return;
    }
    if (!at.shown.empty() && type == j.type_name()) {
        out.push_back(at);
    }
    if (j.is_object()) {
        for (const auto& [key, value] : j.items()) {
            auto shown = at.shown.empty() ? key : at.shown + "." + key;
            paths_of_type(value, type, json_path{at.pointer / key, shown}, out, limit);
        }
    } else if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i) {
            auto shown = at.shown + "[" + std::to_string(i) + "]";
            paths_of_type(j[i], type, json_path{at.pointer / i, shown}, out, limit);
        }
    }
}

// Some value of nlohmann's type `type` ("number", "string", ...).
inline nlohmann::json placeholder(std::string_view type) {
    if (type == "number") {
        return 0;
    }
    if (type == "string") {
        return "";
    }
    if (type == "boolean") {
        return false;
    }
    if (type == "array") {
        return nlohmann::json::array();
    }
    return type == "object" ? nlohmann::json::object() : nlohmann::json();
}

// What `decode` throws for `j` (nlohmann's message), or "" if it decodes.
template <class Decode>
std::string failure_of(const Decode& decode, const nlohmann::json& j) {
    try {
        decode(j);
        return {};
    } catch (const std::exception& e) {
        return e.what();
    }
}

// nlohmann's type_error 302 says "type must be number, but is string" and
// not where. Each value of the type found is tried with one of the type
// wanted in its place: the field is the one whose change makes the error
// go (not merely come back reversed, as a field that was right would).
template <class Decode>
std::string describe_type_error(const std::string& what, const nlohmann::json& doc,
                                const Decode& decode) {
    constexpr std::string_view must = "type must be ", but = ", but is ";
    const auto at_must = what.find(must), at_but = what.find(but);
    if (at_must == std::string::npos || at_but == std::string::npos || at_but < at_must) {
        return what;
    }
    const auto wanted = what.substr(at_must + must.size(), at_but - at_must - must.size());
    const auto found = what.substr(at_but + but.size());
    const auto reversed = std::string(must) + found + std::string(but) + wanted;
    std::vector<json_path> paths;
    paths_of_type(doc, found, json_path{nlohmann::json::json_pointer(), ""}, paths, 32);
    std::vector<std::string> culprits;
    for (const auto& path : paths) {
        auto trial = doc;
        trial[path.pointer] = placeholder(wanted);
        auto again = failure_of(decode, trial);
        if (again.find(what) == std::string::npos && again.find(reversed) == std::string::npos) {
            culprits.push_back(path.shown);
        }
    }
    if (culprits.size() == 1) {
        return "field '" + culprits[0] + "' is " + with_article(found) + ", not " +
               with_article(wanted);
    }
    return "a field is " + with_article(found) + " where " + with_article(wanted) + " was expected";
}

// The detail of a decode error, from what nlohmann threw when `decode`
// (which may throw again) read `doc`.
template <class Decode>
std::string describe(const nlohmann::json::exception& e, const nlohmann::json& doc,
                     const Decode& decode) {
    std::string what = e.what();
    if (auto close = what.find("] "); close != std::string::npos) {
        what.erase(0, close + 2);  // "[json.exception.type_error.302] "
    }
    const auto open = what.find('\''), close = what.rfind('\'');
    if (e.id == 403 && open != std::string::npos && close > open) {  // "key 'x' not found"
        return "missing field '" + what.substr(open + 1, close - open - 1) + "'";
    }
    if (e.id == 302) {
        return describe_type_error(what, doc, decode);
    }
    return what;
}

}  // namespace skynet::bus::json_detail

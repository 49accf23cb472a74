#pragma once
// The walks behind skynet/bus/json.hpp; not for users. Header-only for the
// same reason: only code that includes json.hpp needs nlohmann-json.

#include <bson/bson.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "skynet/bus/bson_element.hpp"
#include "skynet/bus/result.hpp"

namespace skynet::bus::json_detail {

// Each level of nesting is a stack frame of these walks, and a 1 MiB document
// can nest 100,000 levels deep: deeper than this is refused, both ways.
inline constexpr int max_depth = 100;

inline error too_deep() {
    return error{errc::bad_request, "nested deeper than " + std::to_string(max_depth) + " levels"};
}

// A string of the document as JSON wants it: valid UTF-8 or an error.
inline result<std::string> utf8_of(const char* text, std::size_t length, std::string_view what) {
    if (!bson_utf8_validate(text, length, false)) {
        return error{errc::bad_request, "corrupt BSON: " + std::string(what) + " is not UTF-8"};
    }
    return std::string(text, length);
}

// A BSON type JSON has no namesake for, as canonical extended JSON
// ({"$date": {"$numberLong": "..."}}), through libbson's own printer.
inline nlohmann::json extended_json_of(const bson_iter_t* it) {
    bson_t one = BSON_INITIALIZER;
    bson_append_iter(&one, "v", 1, it);
    std::size_t length = 0;
    char* printed = bson_as_canonical_extended_json(&one, &length);
    bson_destroy(&one);
    if (printed == nullptr) {
        return nullptr;
    }
    auto parsed = nlohmann::json::parse(printed, printed + length, nullptr, false);
    bson_free(printed);
    return parsed.is_object() && parsed.contains("v") ? parsed["v"] : nlohmann::json();
}

inline result<nlohmann::json> elements_to_json(bson_iter_t* it, bool array, int depth);

inline result<nlohmann::json> string_to_json(const bson_iter_t* it) {
    std::uint32_t length = 0;
    const char* text = bson_iter_utf8(it, &length);
    auto checked = utf8_of(text, length, "a string");
    if (!checked) {
        return std::move(checked).err();
    }
    return nlohmann::json(std::move(checked).value());
}

inline nlohmann::json binary_to_json(const bson_iter_t* it) {
    bson_subtype_t subtype = BSON_SUBTYPE_BINARY;
    std::uint32_t length = 0;
    const std::uint8_t* bytes = nullptr;
    bson_iter_binary(it, &subtype, &length, &bytes);
    return nlohmann::json::binary(std::vector<std::uint8_t>(bytes, bytes + length),
                                  static_cast<std::uint8_t>(subtype));
}

inline result<nlohmann::json> value_to_json(const bson_iter_t* it, int depth) {
    switch (bson_iter_type(it)) {
        case BSON_TYPE_DOUBLE:
            return nlohmann::json(bson_iter_double(it));
        case BSON_TYPE_INT32:
            return nlohmann::json(bson_iter_int32(it));
        case BSON_TYPE_INT64:
            return nlohmann::json(bson_iter_int64(it));
        case BSON_TYPE_BOOL:
            return nlohmann::json(bson_iter_bool(it));
        case BSON_TYPE_NULL:
        case BSON_TYPE_UNDEFINED:
            return nlohmann::json(nullptr);
        case BSON_TYPE_UTF8:
            return string_to_json(it);
        case BSON_TYPE_BINARY:
            return binary_to_json(it);
        case BSON_TYPE_DOCUMENT:
        case BSON_TYPE_ARRAY: {
            bson_iter_t child;
            if (!bson_iter_recurse(it, &child)) {
                return error{errc::bad_request, "corrupt BSON: a nested document"};
            }
            return elements_to_json(&child, bson_iter_type(it) == BSON_TYPE_ARRAY, depth + 1);
        }
        default:
            return extended_json_of(it);
    }
}

// The elements `it` walks (from before the first) as an array or an object.
// bson_iter_next stops at a corrupt element and marks where (err_off).
inline result<nlohmann::json> elements_to_json(bson_iter_t* it, bool array, int depth) {
    if (depth > max_depth) {
        return too_deep();
    }
    auto out = array ? nlohmann::json::array() : nlohmann::json::object();
    while (bson_iter_next(it)) {
        auto value = value_to_json(it, depth);
        if (!value) {
            return value;
        }
        if (array) {
            out.push_back(std::move(*value));
            continue;
        }
        auto key = utf8_of(bson_iter_key(it), bson_iter_key_len(it), "a key");
        if (!key) {
            return std::move(key).err();
        }
        out[std::move(*key)] = std::move(*value);
    }
    if (it->err_off != 0) {
        return error{errc::bad_request, "corrupt BSON at byte " + std::to_string(it->err_off)};
    }
    return out;
}

inline result<void> append_members(bson_t* doc, const nlohmann::json& object, int depth);
inline result<void> append_items(bson_t* doc, const nlohmann::json& array, int depth);

inline error unsigned_too_big(std::string_view key) {
    return error{errc::bad_request, "field '" + std::string(key) +
                                        "' is an unsigned integer above INT64_MAX, which "
                                        "BSON cannot hold"};
}

inline result<void> append_integer(bson_t* doc, std::string_view key, const nlohmann::json& j) {
    const int length = static_cast<int>(key.size());
    std::int64_t value = 0;
    if (j.is_number_unsigned()) {
        auto u = j.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return unsigned_too_big(key);
        }
        value = static_cast<std::int64_t>(u);
    } else {
        value = j.get<std::int64_t>();
    }
    if (value >= std::numeric_limits<std::int32_t>::min() &&
        value <= std::numeric_limits<std::int32_t>::max()) {
        bson_append_int32(doc, key.data(), length, static_cast<std::int32_t>(value));
    } else {
        bson_append_int64(doc, key.data(), length, value);
    }
    return {};
}

inline void append_binary(bson_t* doc, std::string_view key,
                          const nlohmann::json::binary_t& bytes) {
    auto subtype =
        bytes.has_subtype() ? static_cast<bson_subtype_t>(bytes.subtype()) : BSON_SUBTYPE_BINARY;
    bson_append_binary(doc, key.data(), static_cast<int>(key.size()), subtype, bytes.data(),
                       static_cast<std::uint32_t>(bytes.size()));
}

// An object or array, written in place into `doc` (libbson's begin/end,
// which must pair even when a member fails).
inline result<void> append_nested(bson_t* doc, std::string_view key, const nlohmann::json& j,
                                  int depth) {
    const int length = static_cast<int>(key.size());
    bson_t child;
    const bool object = j.is_object();
    object ? bson_append_document_begin(doc, key.data(), length, &child)
           : bson_append_array_begin(doc, key.data(), length, &child);
    auto done = object ? append_members(&child, j, depth + 1) : append_items(&child, j, depth + 1);
    object ? bson_append_document_end(doc, &child) : bson_append_array_end(doc, &child);
    return done;
}

// Appends `j` under `key`; arrays and objects through append_items/members.
inline result<void> append_value(bson_t* doc, std::string_view key, const nlohmann::json& j,
                                 int depth) {
    const int length = static_cast<int>(key.size());
    switch (j.type()) {
        case nlohmann::json::value_t::null:
            bson_append_null(doc, key.data(), length);
            break;
        case nlohmann::json::value_t::boolean:
            bson_append_bool(doc, key.data(), length, j.get<bool>());
            break;
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
            return append_integer(doc, key, j);
        case nlohmann::json::value_t::number_float:
            bson_append_double(doc, key.data(), length, j.get<double>());
            break;
        case nlohmann::json::value_t::string: {
            const auto& text = j.get_ref<const std::string&>();
            bson_append_utf8(doc, key.data(), length, text.data(), static_cast<int>(text.size()));
            break;
        }
        case nlohmann::json::value_t::binary:
            append_binary(doc, key, j.get_binary());
            break;
        case nlohmann::json::value_t::object:
        case nlohmann::json::value_t::array:
            return append_nested(doc, key, j, depth);
        default:
            return error{errc::bad_request, "field '" + std::string(key) + "' is discarded"};
    }
    return {};
}

inline result<void> append_members(bson_t* doc, const nlohmann::json& object, int depth) {
    if (depth > max_depth) {
        return too_deep();
    }
    for (const auto& [key, value] : object.items()) {
        if (key.find('\0') != std::string::npos) {
            return error{errc::bad_request, "a field name holds a NUL byte"};
        }
        if (auto done = append_value(doc, key, value, depth); !done) {
            return done;
        }
    }
    return {};
}

inline result<void> append_items(bson_t* doc, const nlohmann::json& array, int depth) {
    if (depth > max_depth) {
        return too_deep();
    }
    std::uint32_t index = 0;
    for (const auto& value : array) {
        char buffer[16];
        const char* key = nullptr;
        std::size_t length = bson_uint32_to_string(index++, &key, buffer, sizeof buffer);
        if (auto done = append_value(doc, std::string_view(key, length), value, depth); !done) {
            return done;
        }
    }
    return {};
}

}  // namespace skynet::bus::json_detail

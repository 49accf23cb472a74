#include "skynet/bus/bson_element.hpp"

#include <cmath>
#include <limits>

#include "skynet/bus/bson_array.hpp"

namespace skynet::bus {

std::string_view bson_type_name(bson_type_t type) noexcept {
    switch (type) {
        case BSON_TYPE_DOUBLE:
            return "double";
        case BSON_TYPE_UTF8:
            return "string";
        case BSON_TYPE_DOCUMENT:
            return "document";
        case BSON_TYPE_ARRAY:
            return "array";
        case BSON_TYPE_BINARY:
            return "binary";
        case BSON_TYPE_UNDEFINED:
            return "undefined";
        case BSON_TYPE_OID:
            return "objectId";
        case BSON_TYPE_BOOL:
            return "bool";
        case BSON_TYPE_DATE_TIME:
            return "date";
        case BSON_TYPE_NULL:
            return "null";
        case BSON_TYPE_REGEX:
            return "regex";
        case BSON_TYPE_DBPOINTER:
            return "dbPointer";
        case BSON_TYPE_CODE:
            return "javascript";
        case BSON_TYPE_SYMBOL:
            return "symbol";
        case BSON_TYPE_CODEWSCOPE:
            return "javascriptWithScope";
        case BSON_TYPE_INT32:
            return "int32";
        case BSON_TYPE_TIMESTAMP:
            return "timestamp";
        case BSON_TYPE_INT64:
            return "int64";
        case BSON_TYPE_DECIMAL128:
            return "decimal128";
        case BSON_TYPE_MAXKEY:
            return "maxKey";
        case BSON_TYPE_MINKEY:
            return "minKey";
        default:
            return "unknown type";
    }
}

namespace {

// "an int64", "a string"; null is just "null".
std::string with_article(std::string_view type) {
    if (type == "null") {
        return "null";
    }
    const bool vowel = std::string_view("aeiou").find(type.front()) != std::string_view::npos;
    return (vowel ? "an " : "a ") + std::string(type);
}

}  // namespace

std::string_view bson_element::key() const noexcept {
    return std::string_view(bson_iter_key(&it_), bson_iter_key_len(&it_));
}

std::string bson_element::describe() const {
    if (array_.empty()) {
        return "field '" + std::string(key()) + "'";
    }
    return "field '" + std::string(array_) + "[" + std::string(key()) + "]'";
}

error bson_element::wrong_type(std::string_view wanted) const {
    const auto is_integer = type() == BSON_TYPE_INT32 || type() == BSON_TYPE_INT64;
    std::string what;
    if (is_integer && wanted == "int32") {
        what = "out of int32 range";
    } else if (type() == BSON_TYPE_DOUBLE && (wanted == "int64" || wanted == "int32")) {
        what = "a double that is not a whole " + std::string(wanted);
    } else if (type_name() == wanted) {
        what = "a corrupt " + std::string(wanted);  // get_x refused its bytes
    } else {
        what = with_article(type_name()) + ", not " + with_article(wanted);
    }
    return error{errc::bad_request, describe() + " is " + what};
}

std::optional<std::string_view> bson_element::get_string() const noexcept {
    if (type() != BSON_TYPE_UTF8) {
        return std::nullopt;
    }
    std::uint32_t length = 0;
    const char* text = bson_iter_utf8(&it_, &length);
    return std::string_view(text, length);
}

std::optional<std::int64_t> bson_element::get_int64() const noexcept {
    if (type() == BSON_TYPE_INT32 || type() == BSON_TYPE_INT64) {
        return bson_iter_as_int64(&it_);
    }
    if (type() == BSON_TYPE_DOUBLE) {
        double d = bson_iter_double(&it_);
        // Only exact integers in range: 2^63 itself does not fit.
        if (std::trunc(d) == d && d >= -9.2233720368547758e18 && d < 9.2233720368547758e18) {
            return static_cast<std::int64_t>(d);
        }
    }
    return std::nullopt;
}

std::optional<std::int32_t> bson_element::get_int32() const noexcept {
    auto wide = get_int64();
    if (!wide || *wide < std::numeric_limits<std::int32_t>::min() ||
        *wide > std::numeric_limits<std::int32_t>::max()) {
        return std::nullopt;
    }
    return static_cast<std::int32_t>(*wide);
}

std::optional<bool> bson_element::get_bool() const noexcept {
    if (type() != BSON_TYPE_BOOL) {
        return std::nullopt;
    }
    return bson_iter_bool(&it_);
}

std::optional<double> bson_element::get_double() const noexcept {
    if (type() == BSON_TYPE_DOUBLE) {
        return bson_iter_double(&it_);
    }
    if (type() == BSON_TYPE_INT32 || type() == BSON_TYPE_INT64) {
        return static_cast<double>(bson_iter_as_int64(&it_));
    }
    return std::nullopt;
}

std::optional<bson_view> bson_element::get_document() const noexcept {
    if (type() != BSON_TYPE_DOCUMENT) {
        return std::nullopt;
    }
    std::uint32_t length = 0;
    const std::uint8_t* bytes = nullptr;
    bson_iter_document(&it_, &length, &bytes);
    auto child = bson_view::from_bytes(bytes, length);
    if (!child) {
        return std::nullopt;
    }
    return *child;
}

std::optional<bson_array_view> bson_element::get_array() const noexcept {
    if (type() != BSON_TYPE_ARRAY) {
        return std::nullopt;
    }
    std::uint32_t length = 0;
    const std::uint8_t* bytes = nullptr;
    bson_iter_array(&it_, &length, &bytes);
    auto body = bson_view::from_bytes(bytes, length);
    if (!body) {
        return std::nullopt;
    }
    return bson_array_view(*body, key());
}

// read_x: get_x, or the error naming the element and both types.
result<std::string_view> bson_element::read_string() const {
    if (auto value = get_string()) {
        return *value;
    }
    return wrong_type("string");
}

result<std::int64_t> bson_element::read_int64() const {
    if (auto value = get_int64()) {
        return *value;
    }
    return wrong_type("int64");
}

result<std::int32_t> bson_element::read_int32() const {
    if (auto value = get_int32()) {
        return *value;
    }
    return wrong_type("int32");
}

result<bool> bson_element::read_bool() const {
    if (auto value = get_bool()) {
        return *value;
    }
    return wrong_type("bool");
}

result<double> bson_element::read_double() const {
    if (auto value = get_double()) {
        return *value;
    }
    return wrong_type("double");
}

result<bson_view> bson_element::read_document() const {
    if (auto value = get_document()) {
        return *value;
    }
    return wrong_type("document");
}

result<bson_array_view> bson_element::read_array() const {
    if (auto value = get_array()) {
        return *value;
    }
    return wrong_type("array");
}

}  // namespace skynet::bus

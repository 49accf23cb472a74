#pragma once
// BSON and nlohmann::json, both ways, and codecs built on them:
//
//     nlohmann::json j = skynet::to_json(doc.view());
//     result<bson_doc> d = skynet::from_json(nlohmann::json{{"n", 20}});
//
//     struct point { int x; int y; };
//     NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(point, x, y)
//     bson_doc d = skynet::to_bson(point{1, 2});       // codec<point> below
//     result<point> p = skynet::from_bson<point>(d.view());
//
// Header-only, so that only code that includes it needs nlohmann-json
// (Debian's nlohmann-json3-dev): link the CMake target skynet::json, which
// brings skynet::bus and nlohmann_json::nlohmann_json.
//
// Types: int32 and int64 are JSON integers (an int64 beyond 2^53 stays
// exact: nlohmann keeps 64-bit integers); double, bool, string, null, array
// and document map to their namesakes; binary to nlohmann's binary; other BSON
// types (date, objectId, decimal128, ...) to their canonical extended JSON
// ({"$date": ...}). Back to BSON, an integer is int32 if it fits, else int64.

#include <bson/bson.h>

#include <concepts>
#include <exception>
#include <nlohmann/json.hpp>
#include <ranges>
#include <string>
#include <type_traits>
#include <utility>

#include "skynet/bus/bson.hpp"
#include "skynet/bus/codec.hpp"
#include "skynet/bus/json_describe.hpp"
#include "skynet/bus/json_detail.hpp"
#include "skynet/bus/result.hpp"

namespace skynet::bus {

// The document as JSON; BAD_REQUEST if it is corrupt (a length, a type, or
// a string that is not UTF-8) or nested deeper than 100 levels. Never throws
// on bad bytes.
inline result<nlohmann::json> try_to_json(const bson_view& doc) {
    bson_iter_t it;
    if (!bson_iter_init(&it, doc.get())) {
        return error{errc::bad_request, "corrupt BSON: too short"};
    }
    return json_detail::elements_to_json(&it, false, 0);
}

// The same, for documents known to be sound (built here); throws call_error
// (BAD_REQUEST) on a corrupt one.
inline nlohmann::json to_json(const bson_view& doc) {
    return try_to_json(doc).value();
}

// A JSON object as a document. BAD_REQUEST naming the field for what BSON
// cannot hold: a top level that is not an object, an unsigned integer above
// INT64_MAX, a key with a NUL byte, nesting deeper than 100 levels.
inline result<bson_doc> from_json(const nlohmann::json& json) {
    if (!json.is_object()) {
        return error{errc::bad_request,
                     std::string("JSON is ") + json.type_name() + ", not an object"};
    }
    bson_doc doc;
    if (auto done = json_detail::append_members(doc.get(), json, 0); !done) {
        return done.err();
    }
    return doc;
}

}  // namespace skynet::bus

namespace skynet {

using bus::from_json;
using bus::to_json;
using bus::try_to_json;

// A JSON object travels as the document from_json() makes of it. encode()
// throws call_error (BAD_REQUEST) for JSON that is not such an object.
template <>
struct codec<nlohmann::json> {
    static bson_doc encode(const nlohmann::json& json) { return bus::from_json(json).value(); }
    static result<nlohmann::json> decode(const bson_view& doc) { return bus::try_to_json(doc); }
};

// Class types that nlohmann-json converts both ways (ADL to_json/from_json,
// as NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE writes them) and that it makes an
// object of: not ranges (strings, containers), not nlohmann::json itself.
template <class T>
concept json_convertible =
    std::is_class_v<T> && !std::ranges::range<T> && std::default_initializable<T> &&
    !std::same_as<T, nlohmann::json> && !std::same_as<T, bson_doc> &&
    requires(nlohmann::json & out, const nlohmann::json& in, const T& value, T& target) {
    nlohmann::to_json(out, value);
    nlohmann::from_json(in, target);
};

// Such a type travels as the document of its JSON object. encode() throws
// call_error (BAD_REQUEST) if its JSON is not an object; decode() never
// throws: a missing or mistyped field is BAD_REQUEST naming it ("missing
// field 'name'", "field 'age' is a string, not a number").
template <json_convertible T>
struct codec<T> {
    static bson_doc encode(const T& value) {
        nlohmann::json json;
        nlohmann::to_json(json, value);
        return bus::from_json(json).value();
    }
    static result<T> decode(const bson_view& doc) {
        auto json = bus::try_to_json(doc);
        if (!json) {
            return std::move(json).err();
        }
        auto read = [](const nlohmann::json& from) {
            T value{};
            nlohmann::from_json(from, value);
            return value;
        };
        try {
            return read(*json);
        } catch (const nlohmann::json::exception& e) {
            return error{errc::bad_request, bus::json_detail::describe(e, *json, read)};
        } catch (const std::exception& e) {
            return error{errc::bad_request, e.what()};
        }
    }
};

}  // namespace skynet

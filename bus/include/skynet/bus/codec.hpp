#pragma once
// codec<T>: how a value of a user's type travels as a BSON document, so that
// calls and handlers can take and return the user's own types:
//
//     struct greeting { std::string text; };
//     template <> struct skynet::codec<greeting> {
//         static bson_doc encode(const greeting& g) { return bson_doc{}.add_string("text", g.text);
//         } static result<greeting> decode(const bson_view& doc) {
//             auto text = doc.read_string("text");  // "missing field 'text'", ...
//             if (!text) { return text.err(); }
//             return greeting{std::string(*text)};
//         }
//     };
//
// A type nlohmann-json converts (NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE) needs no
// codec of its own: skynet/bus/json.hpp gives it one.
//
// decode() never throws: its document comes from the network. A missing or
// mistyped field is an error of code BAD_REQUEST whose detail names it.

#include <concepts>

#include "skynet/bus/bson.hpp"
#include "skynet/bus/result.hpp"

namespace skynet {

// No definition: a type without a codec does not compile where one is needed.
template <class T>
struct codec;

// A type with a codec: encode() and decode() as above.
template <class T>
concept bson_codable = requires(const T& value, const bson_view& doc) {
    { codec<T>::encode(value) } -> std::same_as<bson_doc>;
    { codec<T>::decode(doc) } -> std::same_as<result<T>>;
};

// Documents are their own codec (a copy each way).
template <>
struct codec<bson_doc> {
    static bson_doc encode(const bson_doc& doc) { return bson_doc::copy_of(doc.view()); }
    static result<bson_doc> decode(const bson_view& doc) { return bson_doc::copy_of(doc); }
};

template <bson_codable T>
bson_doc to_bson(const T& value) {
    return codec<T>::encode(value);
}

template <bson_codable T>
result<T> from_bson(const bson_view& doc) {
    return codec<T>::decode(doc);
}

}  // namespace skynet

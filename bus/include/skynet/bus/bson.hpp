#pragma once
// Owning and non-owning BSON documents over libbson.
//
// bson_view (bson_view.hpp) reads bytes it does not own (a received frame, a
// bson_doc) and dies with them. bson_doc owns a document being built or kept.
// Neither copies unless asked: a finished bson_doc becomes a ZeroMQ frame by
// handing its buffer over (to_frame), and a received frame is read in place.
// This header brings the whole vocabulary: elements, arrays both ways.

#include <bson/bson.h>

#include <cstdint>
#include <initializer_list>
#include <ranges>
#include <string>
#include <string_view>
#include <utility>
#include <zmq.hpp>

#include "skynet/bus/bson_array.hpp"
#include "skynet/bus/bson_array_builder.hpp"
#include "skynet/bus/bson_element.hpp"
#include "skynet/bus/bson_iterator.hpp"
#include "skynet/bus/bson_view.hpp"
#include "skynet/bus/result.hpp"

namespace skynet::bus {

class bson_doc {
public:
    bson_doc() : doc_(bson_new()) {}
    bson_doc(bson_doc&& other) noexcept : doc_(std::exchange(other.doc_, nullptr)) {}
    bson_doc& operator=(bson_doc&& other) noexcept {
        std::swap(doc_, other.doc_);
        return *this;
    }
    bson_doc(const bson_doc&) = delete;
    bson_doc& operator=(const bson_doc&) = delete;
    ~bson_doc() { bson_destroy(doc_); }  // takes nullptr

    // Parses relaxed or canonical extended JSON. The error says where it broke.
    static result<bson_doc> from_json(std::string_view json);
    // A copy of the viewed document.
    static bson_doc copy_of(const bson_view& view);

    // Appenders return the document so that it reads as one expression. On a
    // named document they return a reference to it; on a temporary they
    // return the document itself (moved, which swaps a pointer), so that a
    // chain can be returned or kept and never dangles:
    //   bson_doc d = bson_doc{}.add_int32("n", 20).add_string("who", "me");
    bson_doc& add_string(std::string_view key, std::string_view value) &;
    bson_doc& add_int32(std::string_view key, std::int32_t value) &;
    bson_doc& add_int64(std::string_view key, std::int64_t value) &;
    bson_doc& add_bool(std::string_view key, bool value) &;
    bson_doc& add_double(std::string_view key, double value) &;
    bson_doc& add_null(std::string_view key) &;
    bson_doc& add_document(std::string_view key, const bson_view& value) &;
    bson_doc& add_document(std::string_view key, const bson_doc& value) & {
        return add_document(key, value.view());
    }
    // An array copied from one read elsewhere.
    bson_doc& add_array(std::string_view key, const bson_array_view& value) &;
    bson_doc& add_array(std::string_view key, const bson_array_builder& value) &;

    bson_doc add_string(std::string_view key, std::string_view value) && {
        return std::move(add_string(key, value));
    }
    bson_doc add_int32(std::string_view key, std::int32_t value) && {
        return std::move(add_int32(key, value));
    }
    bson_doc add_int64(std::string_view key, std::int64_t value) && {
        return std::move(add_int64(key, value));
    }
    bson_doc add_bool(std::string_view key, bool value) && {
        return std::move(add_bool(key, value));
    }
    bson_doc add_double(std::string_view key, double value) && {
        return std::move(add_double(key, value));
    }
    bson_doc add_null(std::string_view key) && { return std::move(add_null(key)); }
    bson_doc add_document(std::string_view key, const bson_view& value) && {
        return std::move(add_document(key, value));
    }
    bson_doc add_document(std::string_view key, const bson_doc& value) && {
        return std::move(add_document(key, value));
    }
    bson_doc add_array(std::string_view key, const bson_array_view& value) && {
        return std::move(add_array(key, value));
    }
    bson_doc add_array(std::string_view key, const bson_array_builder& value) && {
        return std::move(add_array(key, value));
    }

    // Appends a document built in place by `fill`, which gets the child.
    template <class Fill>
    bson_doc& add_document_with(std::string_view key, Fill&& fill) & {
        bson_doc child;
        std::forward<Fill>(fill)(child);
        return add_document(key, child.view());
    }
    template <class Fill>
    bson_doc add_document_with(std::string_view key, Fill&& fill) && {
        return std::move(add_document_with(key, std::forward<Fill>(fill)));
    }

    // Appends an array of the values in `values`, each as
    // bson_array_builder::add() takes it: strings, numbers, bools, documents.
    //   doc.add_array("tags", {"a", "b"}).add_array("ids", std::vector<std::int64_t>{1, 2});
    template <std::ranges::input_range Values>
    bson_doc& add_array(std::string_view key, const Values& values) & {
        bson_array_builder array;
        for (const auto& value : values) {
            array.add(value);
        }
        return add_array(key, array);
    }
    template <class T>
    bson_doc& add_array(std::string_view key, std::initializer_list<T> values) & {
        return add_array<std::initializer_list<T>>(key, values);
    }
    template <std::ranges::input_range Values>
    bson_doc add_array(std::string_view key, const Values& values) && {
        return std::move(add_array(key, values));
    }
    template <class T>
    bson_doc add_array(std::string_view key, std::initializer_list<T> values) && {
        return std::move(add_array<std::initializer_list<T>>(key, values));
    }

    // Appends an array built in place by `fill`, which gets a
    // bson_array_builder& (arrays of mixed types, of documents, of arrays).
    template <class Fill>
    bson_doc& add_array_with(std::string_view key, Fill&& fill) & {
        bson_array_builder array;
        std::forward<Fill>(fill)(array);
        return add_array(key, array);
    }
    template <class Fill>
    bson_doc add_array_with(std::string_view key, Fill&& fill) && {
        return std::move(add_array_with(key, std::forward<Fill>(fill)));
    }

    // Views this document: valid while it lives and is not changed.
    // Precondition: not moved from. Not on a temporary, whose view would
    // dangle at the end of the statement: name the document first.
    bson_view view() const&;
    bson_view view() const&& = delete;
    std::string to_json() const { return view().to_json(); }
    std::string to_canonical_json() const { return view().to_canonical_json(); }

    // Hands the document's buffer to a ZeroMQ frame without copying; ZeroMQ
    // frees it when done. Leaves this document moved-from.
    zmq::message_t to_frame() &&;

    bson_t* get() noexcept { return doc_; }

private:
    // Owns `doc` from now on: no empty document is made only to be replaced.
    explicit bson_doc(bson_t* doc) noexcept : doc_(doc) {}

    bson_t* doc_;
};

}  // namespace skynet::bus

namespace skynet {
using bus::bson_doc;
}  // namespace skynet

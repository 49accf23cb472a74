#include "skynet/bus/bson.hpp"

namespace skynet::bus {
namespace {

// Documents up to this size are copied into their frame rather than handed over.
constexpr std::uint32_t small_document = 256;

}  // namespace

result<bson_doc> bson_doc::from_json(std::string_view json) {
    bson_error_t failure;
    bson_t* parsed = bson_new_from_json(reinterpret_cast<const std::uint8_t*>(json.data()),
                                        static_cast<ssize_t>(json.size()), &failure);
    if (parsed == nullptr) {
        return error{errc::bad_request, std::string("invalid JSON: ") + failure.message};
    }
    return bson_doc(parsed);
}

bson_doc bson_doc::copy_of(const bson_view& view) {
    return bson_doc(bson_copy(view.get()));
}

bson_doc& bson_doc::add_string(std::string_view key, std::string_view value) & {
    // libbson appends null, not "", for a null pointer: an empty view may have one.
    bson_append_utf8(doc_, key.data(), static_cast<int>(key.size()),
                     value.data() != nullptr ? value.data() : "", static_cast<int>(value.size()));
    return *this;
}

bson_doc& bson_doc::add_int32(std::string_view key, std::int32_t value) & {
    bson_append_int32(doc_, key.data(), static_cast<int>(key.size()), value);
    return *this;
}

bson_doc& bson_doc::add_int64(std::string_view key, std::int64_t value) & {
    bson_append_int64(doc_, key.data(), static_cast<int>(key.size()), value);
    return *this;
}

bson_doc& bson_doc::add_bool(std::string_view key, bool value) & {
    bson_append_bool(doc_, key.data(), static_cast<int>(key.size()), value);
    return *this;
}

bson_doc& bson_doc::add_double(std::string_view key, double value) & {
    bson_append_double(doc_, key.data(), static_cast<int>(key.size()), value);
    return *this;
}

bson_doc& bson_doc::add_document(std::string_view key, const bson_view& value) & {
    bson_append_document(doc_, key.data(), static_cast<int>(key.size()), value.get());
    return *this;
}

bson_doc& bson_doc::add_null(std::string_view key) & {
    bson_append_null(doc_, key.data(), static_cast<int>(key.size()));
    return *this;
}

bson_doc& bson_doc::add_array(std::string_view key, const bson_array_view& value) & {
    bson_append_array(doc_, key.data(), static_cast<int>(key.size()), value.elements().get());
    return *this;
}

bson_doc& bson_doc::add_array(std::string_view key, const bson_array_builder& value) & {
    bson_append_array(doc_, key.data(), static_cast<int>(key.size()), value.get());
    return *this;
}

bson_view bson_doc::view() const& {
    // A document we built ourselves always has a consistent length prefix.
    return *bson_view::from_bytes(bson_get_data(doc_), doc_->len);
}

zmq::message_t bson_doc::to_frame() && {
    if (doc_->len <= small_document) {
        // Stealing a small document copies it out of its bson_t (where
        // libbson keeps up to 120 bytes) and then allocates ZeroMQ's record of
        // the free function too: one copy into the frame costs one allocation,
        // or none up to ZeroMQ's 33 inline bytes.
        zmq::message_t frame(bson_get_data(doc_), doc_->len);
        bson_t* owned = doc_;  // plain assignments: see below
        doc_ = nullptr;
        bson_destroy(owned);
        return frame;
    }
    std::uint32_t length = 0;
    // Plain assignments, not std::exchange: its template drops bson_t's
    // alignment attribute and clang warns about the pointer it returns.
    bson_t* owned = doc_;
    doc_ = nullptr;
    std::uint8_t* bytes = bson_destroy_with_steal(owned, true, &length);
    return zmq::message_t(bytes, length, [](void* data, void*) { bson_free(data); });
}

}  // namespace skynet::bus

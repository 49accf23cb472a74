#include "skynet/bus/bson.hpp"

#include <cmath>
#include <limits>
#include <memory>

namespace skynet::bus {
namespace {

// The smallest document: a length of 5 and the terminating zero.
constexpr std::uint8_t empty_document[5] = {5, 0, 0, 0, 0};

// Documents up to this size are copied into their frame rather than handed over.
constexpr std::uint32_t small_document = 256;

bool find(const bson_t* doc, std::string_view key, bson_iter_t* it) noexcept {
    return bson_iter_init_find_w_len(it, doc, key.data(), static_cast<int>(key.size()));
}

struct bson_string_free {
    void operator()(char* p) const noexcept { bson_free(p); }
};

}  // namespace

bson_view::bson_view() noexcept {
    bson_init_static(&bson_, empty_document, sizeof empty_document);
}

result<bson_view> bson_view::from_bytes(const void* data, std::size_t size) noexcept {
    bson_view view;
    if (size < sizeof empty_document || size > std::numeric_limits<std::uint32_t>::max()) {
        return error{errc::bad_request, "BSON document too short or too long"};
    }
    if (!bson_init_static(&view.bson_, static_cast<const std::uint8_t*>(data), size)) {
        return error{errc::bad_request, "BSON length prefix does not match the frame"};
    }
    return view;
}

result<void> bson_view::validate() const {
    std::size_t offset = 0;
    if (!bson_validate(&bson_, BSON_VALIDATE_UTF8, &offset)) {
        return error{errc::bad_request, "corrupt BSON at byte " + std::to_string(offset)};
    }
    return {};
}

std::optional<std::string_view> bson_view::get_string(std::string_view key) const noexcept {
    bson_iter_t it;
    if (!find(&bson_, key, &it) || !BSON_ITER_HOLDS_UTF8(&it)) {
        return std::nullopt;
    }
    std::uint32_t length = 0;
    const char* text = bson_iter_utf8(&it, &length);
    return std::string_view(text, length);
}

std::optional<std::int64_t> bson_view::get_int64(std::string_view key) const noexcept {
    bson_iter_t it;
    if (!find(&bson_, key, &it)) {
        return std::nullopt;
    }
    if (BSON_ITER_HOLDS_INT32(&it) || BSON_ITER_HOLDS_INT64(&it)) {
        return bson_iter_as_int64(&it);
    }
    if (BSON_ITER_HOLDS_DOUBLE(&it)) {
        double d = bson_iter_double(&it);
        // Only exact integers in range: 2^63 itself does not fit.
        if (std::trunc(d) == d && d >= -9.2233720368547758e18 && d < 9.2233720368547758e18) {
            return static_cast<std::int64_t>(d);
        }
    }
    return std::nullopt;
}

std::optional<std::int32_t> bson_view::get_int32(std::string_view key) const noexcept {
    auto wide = get_int64(key);
    if (!wide || *wide < std::numeric_limits<std::int32_t>::min() ||
        *wide > std::numeric_limits<std::int32_t>::max()) {
        return std::nullopt;
    }
    return static_cast<std::int32_t>(*wide);
}

std::optional<bool> bson_view::get_bool(std::string_view key) const noexcept {
    bson_iter_t it;
    if (!find(&bson_, key, &it) || !BSON_ITER_HOLDS_BOOL(&it)) {
        return std::nullopt;
    }
    return bson_iter_bool(&it);
}

std::optional<double> bson_view::get_double(std::string_view key) const noexcept {
    bson_iter_t it;
    if (!find(&bson_, key, &it)) {
        return std::nullopt;
    }
    if (BSON_ITER_HOLDS_DOUBLE(&it)) {
        return bson_iter_double(&it);
    }
    if (BSON_ITER_HOLDS_INT32(&it) || BSON_ITER_HOLDS_INT64(&it)) {
        return static_cast<double>(bson_iter_as_int64(&it));
    }
    return std::nullopt;
}

std::optional<bson_view> bson_view::get_document(std::string_view key) const noexcept {
    bson_iter_t it;
    if (!find(&bson_, key, &it) || !BSON_ITER_HOLDS_DOCUMENT(&it)) {
        return std::nullopt;
    }
    std::uint32_t length = 0;
    const std::uint8_t* bytes = nullptr;
    bson_iter_document(&it, &length, &bytes);
    auto child = from_bytes(bytes, length);
    if (!child) {
        return std::nullopt;
    }
    return *child;
}

bool bson_view::has(std::string_view key) const noexcept {
    bson_iter_t it;
    return find(&bson_, key, &it);
}

std::string bson_view::to_json() const {
    std::size_t length = 0;
    std::unique_ptr<char, bson_string_free> json(bson_as_relaxed_extended_json(&bson_, &length));
    if (!json) {
        return "<corrupt BSON>";
    }
    return std::string(json.get(), length);
}

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

bson_doc& bson_doc::add_string(std::string_view key, std::string_view value) {
    // libbson appends null, not "", for a null pointer: an empty view may have one.
    bson_append_utf8(doc_, key.data(), static_cast<int>(key.size()),
                     value.data() != nullptr ? value.data() : "", static_cast<int>(value.size()));
    return *this;
}

bson_doc& bson_doc::add_int32(std::string_view key, std::int32_t value) {
    bson_append_int32(doc_, key.data(), static_cast<int>(key.size()), value);
    return *this;
}

bson_doc& bson_doc::add_int64(std::string_view key, std::int64_t value) {
    bson_append_int64(doc_, key.data(), static_cast<int>(key.size()), value);
    return *this;
}

bson_doc& bson_doc::add_bool(std::string_view key, bool value) {
    bson_append_bool(doc_, key.data(), static_cast<int>(key.size()), value);
    return *this;
}

bson_doc& bson_doc::add_double(std::string_view key, double value) {
    bson_append_double(doc_, key.data(), static_cast<int>(key.size()), value);
    return *this;
}

bson_doc& bson_doc::add_document(std::string_view key, const bson_view& value) {
    bson_append_document(doc_, key.data(), static_cast<int>(key.size()), value.get());
    return *this;
}

bson_view bson_doc::view() const {
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

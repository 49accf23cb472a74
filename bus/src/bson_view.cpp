#include "skynet/bus/bson_view.hpp"

#include <limits>
#include <memory>
#include <utility>

#include "skynet/bus/bson_array.hpp"
#include "skynet/bus/bson_element.hpp"
#include "skynet/bus/bson_iterator.hpp"

namespace skynet::bus {
namespace {

// The smallest document: a length of 5 and the terminating zero.
constexpr std::uint8_t empty_document[5] = {5, 0, 0, 0, 0};

struct bson_string_free {
    void operator()(char* p) const noexcept { bson_free(p); }
};

// libbson's JSON of a document, or a marker if it is corrupt.
template <class Print>
std::string printed(const bson_t* doc, Print print) {
    std::size_t length = 0;
    std::unique_ptr<char, bson_string_free> json(print(doc, &length));
    if (!json) {
        return "<corrupt BSON>";
    }
    return std::string(json.get(), length);
}

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

std::optional<bson_element> bson_view::find(std::string_view key) const noexcept {
    bson_iter_t it;
    if (!bson_iter_init_find_w_len(&it, &bson_, key.data(), static_cast<int>(key.size()))) {
        return std::nullopt;
    }
    return bson_element(it);
}

result<bson_element> bson_view::read(std::string_view key) const {
    auto found = find(key);
    if (!found) {
        return error{errc::bad_request, "missing field '" + std::string(key) + "'"};
    }
    return *found;
}

bool bson_view::has(std::string_view key) const noexcept {
    return find(key).has_value();
}

bson_iterator bson_view::begin() const noexcept {
    return bson_iterator(&bson_);
}

// get_x: the element's get_x, or nothing. read_x: the element's read_x, or
// "missing field". One definition per type, through these two helpers.
namespace {

template <class Read>
auto get_field(const bson_view& doc, std::string_view key, Read read) noexcept
    -> decltype(read(std::declval<const bson_element&>())) {
    auto found = doc.find(key);
    if (!found) {
        return std::nullopt;
    }
    return read(*found);
}

template <class Read>
auto read_field(const bson_view& doc, std::string_view key, Read read)
    -> decltype(read(std::declval<const bson_element&>())) {
    auto found = doc.read(key);
    if (!found) {
        return std::move(found).err();
    }
    return read(*found);
}

}  // namespace

std::optional<std::string_view> bson_view::get_string(std::string_view key) const noexcept {
    return get_field(*this, key, [](const bson_element& e) { return e.get_string(); });
}
std::optional<std::int64_t> bson_view::get_int64(std::string_view key) const noexcept {
    return get_field(*this, key, [](const bson_element& e) { return e.get_int64(); });
}
std::optional<std::int32_t> bson_view::get_int32(std::string_view key) const noexcept {
    return get_field(*this, key, [](const bson_element& e) { return e.get_int32(); });
}
std::optional<bool> bson_view::get_bool(std::string_view key) const noexcept {
    return get_field(*this, key, [](const bson_element& e) { return e.get_bool(); });
}
std::optional<double> bson_view::get_double(std::string_view key) const noexcept {
    return get_field(*this, key, [](const bson_element& e) { return e.get_double(); });
}
std::optional<bson_view> bson_view::get_document(std::string_view key) const noexcept {
    return get_field(*this, key, [](const bson_element& e) { return e.get_document(); });
}
std::optional<bson_array_view> bson_view::get_array(std::string_view key) const noexcept {
    return get_field(*this, key, [](const bson_element& e) { return e.get_array(); });
}

result<std::string_view> bson_view::read_string(std::string_view key) const {
    return read_field(*this, key, [](const bson_element& e) { return e.read_string(); });
}
result<std::int64_t> bson_view::read_int64(std::string_view key) const {
    return read_field(*this, key, [](const bson_element& e) { return e.read_int64(); });
}
result<std::int32_t> bson_view::read_int32(std::string_view key) const {
    return read_field(*this, key, [](const bson_element& e) { return e.read_int32(); });
}
result<bool> bson_view::read_bool(std::string_view key) const {
    return read_field(*this, key, [](const bson_element& e) { return e.read_bool(); });
}
result<double> bson_view::read_double(std::string_view key) const {
    return read_field(*this, key, [](const bson_element& e) { return e.read_double(); });
}
result<bson_view> bson_view::read_document(std::string_view key) const {
    return read_field(*this, key, [](const bson_element& e) { return e.read_document(); });
}
result<bson_array_view> bson_view::read_array(std::string_view key) const {
    return read_field(*this, key, [](const bson_element& e) { return e.read_array(); });
}

std::string bson_view::to_json() const {
    return printed(&bson_, bson_as_relaxed_extended_json);
}

std::string bson_view::to_canonical_json() const {
    return printed(&bson_, bson_as_canonical_extended_json);
}

}  // namespace skynet::bus

// Metadata views (metadata.hpp). A document was validated before a view
// reads it, so the iterator walks its elements without checking them again.
#include "skynet/bus/metadata.hpp"

#include <cstring>

#include "bson_scan.hpp"

namespace skynet::bus {
namespace {

std::uint32_t le32(const char* p) noexcept {
    std::uint32_t v = 0;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// The element at `at` of a validated document: its key, its value, and
// where the next one starts.
struct element_at {
    std::string_view key;
    std::string_view value;
    std::size_t next = 0;
};

element_at read_element(std::string_view doc, std::size_t at) noexcept {
    element_at e;
    const char* key = doc.data() + at + 1;  // after the type byte
    e.key = std::string_view(key);
    const std::size_t value = at + 1 + e.key.size() + 1;
    const std::size_t length = le32(doc.data() + value);  // with its terminator
    e.value = std::string_view(doc.data() + value + 4, length - 1);
    e.next = value + 4 + length;
    return e;
}

}  // namespace

bool metadata_view::is_valid_document(std::string_view bytes) noexcept {
    detail::bson_scanner scan(bytes.data(), bytes.size());
    detail::scalar_element e;
    for (;;) {
        switch (scan.next(e)) {
            case detail::bson_scanner::step::end:
                return true;
            case detail::bson_scanner::step::unsupported:
                return false;
            case detail::bson_scanner::step::element:
                if (e.type != detail::scalar_type::utf8) {
                    return false;
                }
                break;
        }
    }
}

metadata_view metadata_view::of_document(std::string_view bytes) noexcept {
    metadata_view v;
    if (is_valid_document(bytes)) {
        v.document_ = bytes;
    }
    return v;
}

metadata_view::iterator metadata_view::begin() const noexcept {
    return iterator(this, document_.empty() ? 0 : 4);
}

metadata_view::iterator metadata_view::end() const noexcept {
    return iterator(this, document_.empty() ? pairs_.size() : document_.size() - 1);
}

metadata_view::value_type metadata_view::iterator::operator*() const noexcept {
    if (view_->document_.empty()) {
        const auto& p = view_->pairs_[at_];
        return {p.first, p.second};
    }
    const auto e = read_element(view_->document_, at_);
    return {e.key, e.value};
}

metadata_view::iterator& metadata_view::iterator::operator++() noexcept {
    at_ = view_->document_.empty() ? at_ + 1 : read_element(view_->document_, at_).next;
    return *this;
}

std::optional<std::string_view> metadata_view::find(std::string_view key) const noexcept {
    for (const auto [k, v] : *this) {
        if (k == key) {
            return v;
        }
    }
    return std::nullopt;
}

}  // namespace skynet::bus

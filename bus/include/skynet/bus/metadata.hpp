#pragma once
// Per-call metadata (docs/design.md, "RPC envelope"): string pairs a caller
// attaches to a call, carried in the request header's optional "meta"
// sub-document ({key: value, ...}, every value a string) and read by the
// handler. Keys may repeat; find() gives the first.
//
// A metadata_view is either the pairs a caller owns (what the client
// encodes) or a header's sub-document (what a decoder read, validated), and
// dies with what it views. It never allocates.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace skynet::bus {

using metadata_pair = std::pair<std::string, std::string>;
// What call_options holds: owning pairs, in the order they travel.
using metadata_list = std::vector<metadata_pair>;

class metadata_view {
public:
    using value_type = std::pair<std::string_view, std::string_view>;

    class iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = metadata_view::value_type;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = value_type;

        iterator() = default;
        value_type operator*() const noexcept;
        iterator& operator++() noexcept;
        iterator operator++(int) noexcept {
            auto old = *this;
            ++*this;
            return old;
        }
        bool operator==(const iterator& o) const noexcept { return at_ == o.at_; }

    private:
        friend class metadata_view;
        iterator(const metadata_view* view, std::size_t at) noexcept : view_(view), at_(at) {}
        const metadata_view* view_ = nullptr;
        std::size_t at_ = 0;  // pairs: an index; a document: an element's offset
    };

    metadata_view() = default;
    // The caller's pairs, which must outlive the view.
    explicit metadata_view(std::span<const metadata_pair> pairs) noexcept : pairs_(pairs) {}
    // A sub-document's bytes (length prefix to terminator) that
    // is_valid_document() accepted; anything else reads as empty.
    static metadata_view of_document(std::string_view bytes) noexcept;
    // True for a BSON document whose every element is a string.
    static bool is_valid_document(std::string_view bytes) noexcept;

    bool empty() const noexcept { return begin() == end(); }
    // The value of the first pair named `key`; nothing if there is none.
    std::optional<std::string_view> find(std::string_view key) const noexcept;
    iterator begin() const noexcept;
    iterator end() const noexcept;
    // The sub-document's bytes, when this view reads one; empty otherwise.
    std::string_view document() const noexcept { return document_; }

private:
    std::span<const metadata_pair> pairs_;
    std::string_view document_;
};

}  // namespace skynet::bus

namespace skynet {
using bus::metadata_list;
using bus::metadata_pair;
using bus::metadata_view;
}  // namespace skynet

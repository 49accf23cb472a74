#include "skynet/bus/bson_array_builder.hpp"

namespace skynet::bus {

const char* bson_array_builder::next_key(char (&buffer)[16], std::size_t* length) noexcept {
    const char* key = nullptr;
    *length = bson_uint32_to_string(next_++, &key, buffer, sizeof buffer);
    return key;
}

// Each appender writes the next index as the key ("0", "1", ...), as BSON
// arrays require.
bson_array_builder& bson_array_builder::add_string(std::string_view value) {
    char buffer[16];
    std::size_t length = 0;
    const char* key = next_key(buffer, &length);
    // libbson appends null, not "", for a null pointer: an empty view may have one.
    bson_append_utf8(array_, key, static_cast<int>(length),
                     value.data() != nullptr ? value.data() : "", static_cast<int>(value.size()));
    return *this;
}

bson_array_builder& bson_array_builder::add_int32(std::int32_t value) {
    char buffer[16];
    std::size_t length = 0;
    const char* key = next_key(buffer, &length);
    bson_append_int32(array_, key, static_cast<int>(length), value);
    return *this;
}

bson_array_builder& bson_array_builder::add_int64(std::int64_t value) {
    char buffer[16];
    std::size_t length = 0;
    const char* key = next_key(buffer, &length);
    bson_append_int64(array_, key, static_cast<int>(length), value);
    return *this;
}

bson_array_builder& bson_array_builder::add_double(double value) {
    char buffer[16];
    std::size_t length = 0;
    const char* key = next_key(buffer, &length);
    bson_append_double(array_, key, static_cast<int>(length), value);
    return *this;
}

bson_array_builder& bson_array_builder::add_bool(bool value) {
    char buffer[16];
    std::size_t length = 0;
    const char* key = next_key(buffer, &length);
    bson_append_bool(array_, key, static_cast<int>(length), value);
    return *this;
}

bson_array_builder& bson_array_builder::add_null() {
    char buffer[16];
    std::size_t length = 0;
    const char* key = next_key(buffer, &length);
    bson_append_null(array_, key, static_cast<int>(length));
    return *this;
}

bson_array_builder& bson_array_builder::add_document(const bson_view& value) {
    char buffer[16];
    std::size_t length = 0;
    const char* key = next_key(buffer, &length);
    bson_append_document(array_, key, static_cast<int>(length), value.get());
    return *this;
}

bson_array_builder& bson_array_builder::add_array(const bson_array_builder& value) {
    char buffer[16];
    std::size_t length = 0;
    const char* key = next_key(buffer, &length);
    bson_append_array(array_, key, static_cast<int>(length), value.get());
    return *this;
}

bson_view bson_array_builder::view() const& {
    // A document we built ourselves always has a consistent length prefix.
    return *bson_view::from_bytes(bson_get_data(array_), array_->len);
}

}  // namespace skynet::bus

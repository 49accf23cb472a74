#include "envelope_fields.hpp"

namespace skynet::bus::rpc::fields {

bool apply_request_field(const detail::scalar_element& e, request_reading& r) noexcept {
    auto text = [&](std::string_view& out) {
        auto v = text_of(e);
        out = v.value_or(std::string_view{});
        return v.has_value();
    };
    auto& h = r.header;
    if (e.key == field::method) {
        r.has_method = text(h.method);
        return r.has_method;
    }
    if (e.key == field::request_id) {
        r.has_id = text(h.request_id);
        return r.has_id;
    }
    if (e.key == field::origin) {
        return text(h.origin);
    }
    if (e.key == field::traceparent) {
        return text(h.traceparent);
    }
    if (e.key == field::parent) {
        return text(h.parent);
    }
    if (e.key == field::metadata) {
        // Both readers hand over the same bytes, and one check decides.
        if (e.type != detail::scalar_type::document || !metadata_view::is_valid_document(e.text)) {
            return false;
        }
        h.metadata = metadata_view::of_document(e.text);
        return true;
    }
    if (e.key == field::retry) {
        auto v = integer_of(e);
        if (!v || *v < 0 || *v > INT32_MAX) {
            return false;
        }
        h.retry = static_cast<std::int32_t>(*v);
        return true;
    }
    if (e.key == field::timeout_ms) {
        h.timeout_ms = integer_of(e);
        return h.timeout_ms.has_value();
    }
    if (e.key == field::idempotent) {
        if (e.type != detail::scalar_type::boolean) {
            return false;
        }
        h.idempotent = e.boolean;
    }
    return true;  // unknown fields are ignored
}

const char* apply_reply_field(const detail::scalar_element& e, reply_reading& r) noexcept {
    if (e.key == field::request_id) {
        auto id = text_of(e);
        if (!id) {
            return "reply request_id is not a string";
        }
        r.header.request_id = *id;
        r.has_id = true;
    } else if (e.key == field::code) {
        auto raw = integer_of(e);
        auto code = raw && *raw >= 0 && *raw <= errc_max
                        ? errc_from_int(static_cast<std::int32_t>(*raw))
                        : std::nullopt;
        if (!code) {
            return "reply code is not a known error code";
        }
        r.header.code = *code;
        r.has_code = true;
    } else if (e.key == field::error) {
        auto text = text_of(e);
        if (!text) {
            return "reply error is not a string";
        }
        r.header.error = *text;
    }
    return nullptr;
}

bool apply_meta_field(const detail::scalar_element& e, meta_reading& r) noexcept {
    if (e.key == field::request_id) {
        auto id = text_of(e);
        if (!id) {
            return false;
        }
        r.meta.request_id = *id;
        r.has_id = true;
    } else if (e.key == field::timeout_ms) {
        r.meta.timeout_ms = integer_of(e);
    } else if (e.key == field::idempotent) {
        r.meta.idempotent = e.type == detail::scalar_type::boolean && e.boolean;
    }
    return true;
}

result<request_header> finish(request_reading& r) {
    if (!r.has_method || !r.has_id) {
        return malformed("request header lacks method or request_id");
    }
    return r.header;
}

result<reply_header> finish(reply_reading& r) {
    if (!r.has_id || !r.has_code) {
        return malformed("reply header lacks request_id or code");
    }
    return r.header;
}

std::optional<request_meta> finish(meta_reading& r) noexcept {
    if (!r.has_id) {
        return std::nullopt;
    }
    return r.meta;
}

}  // namespace skynet::bus::rpc::fields

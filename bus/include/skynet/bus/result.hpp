#pragma once
// result<T>: a value or an error, never both and never neither. Decoders of
// network bytes and calls over the bus return it instead of throwing.

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "skynet/bus/errc.hpp"

namespace skynet::bus {

struct error {
    errc code = errc::bad_request;
    std::string detail;

    friend bool operator==(const error&, const error&) = default;
};

template <class T>
class [[nodiscard]] result {
public:
    using value_type = T;

    result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
    result(error e) : state_(std::in_place_index<1>, std::move(e)) {}      // NOLINT: implicit

    bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    // Precondition: ok().
    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    // Precondition: !ok().
    const error& err() const& { return std::get<1>(state_); }
    error&& err() && { return std::get<1>(std::move(state_)); }

    // errc::ok when there is a value.
    errc code() const noexcept { return ok() ? errc::ok : std::get<1>(state_).code; }

private:
    std::variant<T, error> state_;
};

template <>
class [[nodiscard]] result<void> {
public:
    result() = default;
    result(error e) : error_(std::move(e)), failed_(true) {}  // NOLINT: implicit

    bool ok() const noexcept { return !failed_; }
    explicit operator bool() const noexcept { return ok(); }
    const error& err() const& { return error_; }
    errc code() const noexcept { return failed_ ? error_.code : errc::ok; }

private:
    error error_;
    bool failed_ = false;
};

}  // namespace skynet::bus

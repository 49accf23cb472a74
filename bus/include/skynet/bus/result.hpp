#pragma once
// result<T>: a value or an error, never both and never neither. Decoders of
// network bytes and calls over the bus return it instead of throwing.

#include <cassert>
#include <stdexcept>
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

// An error as an exception: what result<T>::value() throws when there is no
// value, and what call_or_throw() throws. what() is "CODE: detail".
class call_error : public std::runtime_error {
public:
    explicit call_error(struct error e);
    errc code() const noexcept { return error_.code; }
    const struct error& error() const noexcept { return error_; }

private:
    struct error error_;
};

template <class T>
class [[nodiscard]] result {
public:
    using value_type = T;

    result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
    result(error e) : state_(std::in_place_index<1>, std::move(e)) {}      // NOLINT: implicit

    bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    // The value; without one, throws call_error naming the error (a read of
    // a failed call says which bus error it was, never bad_variant_access).
    T& value() & { return checked(), std::get<0>(state_); }
    const T& value() const& { return checked(), std::get<0>(state_); }
    T value() && { return checked(), std::get<0>(std::move(state_)); }
    T* operator->() & { return &value(); }
    const T* operator->() const& { return &value(); }
    // A member of a temporary's value would dangle at the end of the
    // statement (`auto r = c.call(...)->result();`): take value() instead,
    // which hands the value over.
    T* operator->() && = delete;
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    // By value from a temporary: `*c.call(...)` owns what it returns.
    T operator*() && { return std::move(*this).value(); }

    // The value, or `fallback` if there is none.
    template <class U>
    T value_or(U&& fallback) const& {
        return ok() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
    }
    template <class U>
    T value_or(U&& fallback) && {
        return ok() ? std::get<0>(std::move(state_)) : static_cast<T>(std::forward<U>(fallback));
    }

    // Precondition: !ok().
    const error& err() const& { return std::get<1>(state_); }
    error&& err() && { return std::get<1>(std::move(state_)); }

    // errc::ok when there is a value.
    errc code() const noexcept { return ok() ? errc::ok : std::get<1>(state_).code; }

private:
    void checked() const {
        if (!ok()) {
            throw call_error(std::get<1>(state_));
        }
    }

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
    // Throws call_error if there is an error.
    void value() const {
        if (failed_) {
            throw call_error(error_);
        }
    }

private:
    error error_;
    bool failed_ = false;
};

}  // namespace skynet::bus

namespace skynet {
using bus::call_error;
using bus::error;
using bus::result;
}  // namespace skynet

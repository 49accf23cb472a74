#pragma once
// The shapes a handler may take, and how worker::handle() turns each into
// one of the two the worker runs: a synchronous handler that returns its
// outcome, or an asynchronous one that answers through a responder.
// Nothing here is for users to call: worker.hpp says what handle() takes.

#include <functional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "skynet/bus/bson.hpp"
#include "skynet/bus/codec.hpp"
#include "skynet/bus/result.hpp"
#include "skynet/worker/request.hpp"

namespace skynet {

// What the worker runs for a synchronous method: the reply's result
// document, or an error whose code and detail are the reply's.
using sync_handler = std::function<bus::result<bus::bson_doc>(const request&)>;
// What the worker runs for an asynchronous method: it owns the responder,
// and answers through it, now or later, from any thread.
using async_handler = std::function<void(responder)>;

namespace worker_detail {

// The parameters and return type of a callable that is not generic (a
// lambda without auto parameters, a function, a std::function).
template <class F>
struct callable_shape : callable_shape<decltype(&F::operator())> {};
template <class R, class... A>
struct callable_shape<R (*)(A...)> {
    using returns = R;
    using params = std::tuple<A...>;
};
template <class R, class... A>
struct callable_shape<R(A...)> : callable_shape<R (*)(A...)> {};
template <class C, class R, class... A>
struct callable_shape<R (C::*)(A...)> : callable_shape<R (*)(A...)> {};
template <class C, class R, class... A>
struct callable_shape<R (C::*)(A...) const> : callable_shape<R (*)(A...)> {};
template <class C, class R, class... A>
struct callable_shape<R (C::*)(A...) noexcept> : callable_shape<R (*)(A...)> {};
template <class C, class R, class... A>
struct callable_shape<R (C::*)(A...) const noexcept> : callable_shape<R (*)(A...)> {};

// The type a typed handler takes: its first parameter, bare.
template <class F>
using first_param_t = std::remove_cvref_t<
    std::tuple_element_t<0, typename callable_shape<std::remove_cvref_t<F>>::params>>;

template <class T>
struct is_result : std::false_type {};
template <class T>
struct is_result<bus::result<T>> : std::true_type {};

// A handler's return value as the reply's outcome: a document as it is
// (moved, never copied), a value of a codable type encoded, a result's
// error passed on.
template <class R>
bus::result<bus::bson_doc> outcome_of(R&& value) {
    using bare = std::remove_cvref_t<R>;
    if constexpr (std::is_same_v<bare, bus::bson_doc> ||
                  std::is_same_v<bare, bus::result<bus::bson_doc>>) {
        return std::forward<R>(value);
    } else if constexpr (is_result<bare>::value) {
        static_assert(bson_codable<typename bare::value_type>,
                      "a handler's result<T> needs a skynet::codec<T>");
        if (!value) {
            return std::forward<R>(value).err();
        }
        return to_bson(*value);
    } else {
        static_assert(bson_codable<bare>,
                      "a handler returns a bson_doc, a result<bson_doc>, or a type with a "
                      "skynet::codec<T> (or a result of one)");
        return to_bson(value);
    }
}

// The params of a request as an `In`, or BAD_REQUEST with the codec's word
// on what did not fit (the field it names).
template <class In>
bus::result<In> decode_params(const request& req) {
    auto decoded = from_bson<In>(req.params());
    if (!decoded) {
        return bus::error{bus::errc::bad_request, "params: " + decoded.err().detail};
    }
    return decoded;
}

// fn(const In&, const request&) or fn(const In&), returning any of what
// outcome_of() takes; bad params answer BAD_REQUEST without running it.
template <class In, class F>
sync_handler typed_sync(F&& fn) {
    static_assert(bson_codable<In>, "a typed handler's parameter type needs a skynet::codec<T>");
    return [fn = std::forward<F>(fn)](const request& req) mutable -> bus::result<bus::bson_doc> {
        auto in = decode_params<In>(req);
        if (!in) {
            return std::move(in).err();
        }
        if constexpr (std::is_invocable_v<F&, const In&, const request&>) {
            return outcome_of(std::invoke(fn, *in, req));
        } else {
            return outcome_of(std::invoke(fn, *in));
        }
    };
}

// fn(const In&, responder): bad params are answered BAD_REQUEST through the
// responder without running it.
template <class In, class F>
async_handler typed_async(F&& fn) {
    static_assert(bson_codable<In>, "a typed handler's parameter type needs a skynet::codec<T>");
    return [fn = std::forward<F>(fn)](responder answer) mutable {
        auto in = decode_params<In>(answer.request());
        if (!in) {
            answer.fail(in.err().code, in.err().detail);
            return;
        }
        std::invoke(fn, *in, std::move(answer));
    };
}

// fn(const request&), returning any of what outcome_of() takes.
template <class F>
sync_handler untyped_sync(F&& fn) {
    return [fn = std::forward<F>(fn)](const request& req) mutable -> bus::result<bus::bson_doc> {
        return outcome_of(std::invoke(fn, req));
    };
}

}  // namespace worker_detail
}  // namespace skynet

#pragma once
// unique_function<R(Args...)>: a move-only std::function, so that callbacks
// may own move-only state (a promise, a frame). std::move_only_function is
// C++23; this is the part of it we need.
//
// A callable of up to six pointers that moves without throwing is kept
// inside the object (a client call's callback: no allocation per call);
// larger ones go to the heap, held by a unique_ptr kept inside.

#include <cstddef>
#include <functional>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace skynet::bus {

template <class Signature>
class unique_function;

template <class R, class... Args>
class unique_function<R(Args...)> {
public:
    unique_function() noexcept = default;
    unique_function(std::nullptr_t) noexcept {}  // NOLINT: implicit, as std::function

    template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, unique_function> &&
                                                std::is_invocable_r_v<R, F&, Args...>>>
    unique_function(F&& f) {  // NOLINT: implicit, as std::function
        using D = std::decay_t<F>;
        if constexpr (fits<D>) {
            ::new (static_cast<void*>(buffer_)) D(std::forward<F>(f));
            ops_ = &ops_for<D, false>;
        } else {
            ::new (static_cast<void*>(buffer_))
                std::unique_ptr<D>(std::make_unique<D>(std::forward<F>(f)));
            ops_ = &ops_for<D, true>;
        }
    }

    unique_function(unique_function&& other) noexcept { take(other); }
    unique_function& operator=(unique_function&& other) noexcept {
        if (this != &other) {
            reset();
            take(other);
        }
        return *this;
    }
    unique_function(const unique_function&) = delete;
    unique_function& operator=(const unique_function&) = delete;
    ~unique_function() { reset(); }

    explicit operator bool() const noexcept { return ops_ != nullptr; }

    // Precondition: holds a callable.
    R operator()(Args... args) { return ops_->call(buffer_, std::forward<Args>(args)...); }

private:
    static constexpr std::size_t inline_size = 6 * sizeof(void*);

    template <class D>
    static constexpr bool fits =
        sizeof(D) <= inline_size &&
        alignof(D) <= alignof(std::max_align_t) && std::is_nothrow_move_constructible_v<D>;

    // What the buffer holds is known only to these functions.
    struct ops_t {
        R (*call)(void* self, Args&&... args);
        void (*relocate)(void* from, void* to) noexcept;  // move-construct, destroy the source
        void (*destroy)(void* self) noexcept;
    };

    // Stored: D itself, or (OnHeap) a std::unique_ptr<D>.
    template <class D, bool OnHeap>
    struct model {
        using stored = std::conditional_t<OnHeap, std::unique_ptr<D>, D>;
        static stored& at(void* p) noexcept { return *std::launder(static_cast<stored*>(p)); }
        static R call(void* self, Args&&... args) {
            if constexpr (OnHeap) {
                return std::invoke(*at(self), std::forward<Args>(args)...);
            } else {
                return std::invoke(at(self), std::forward<Args>(args)...);
            }
        }
        static void relocate(void* from, void* to) noexcept {
            ::new (to) stored(std::move(at(from)));
            at(from).~stored();
        }
        static void destroy(void* self) noexcept { at(self).~stored(); }
    };

    template <class D, bool OnHeap>
    static constexpr ops_t ops_for{&model<D, OnHeap>::call, &model<D, OnHeap>::relocate,
                                   &model<D, OnHeap>::destroy};

    void take(unique_function& other) noexcept {
        if (other.ops_ != nullptr) {
            other.ops_->relocate(other.buffer_, buffer_);
            ops_ = std::exchange(other.ops_, nullptr);
        }
    }
    void reset() noexcept {
        if (ops_ != nullptr) {
            std::exchange(ops_, nullptr)->destroy(buffer_);
        }
    }

    alignas(std::max_align_t) unsigned char buffer_[inline_size];
    const ops_t* ops_ = nullptr;
};

}  // namespace skynet::bus

#pragma once
// A doubly linked list threaded through its elements, so that an element can
// leave any list it is on in O(1) and joining or leaving allocates nothing.

#include <cassert>
#include <cstddef>

namespace skynet::broker_detail {

template <class T>
struct list_hook {
    T* prev = nullptr;
    T* next = nullptr;
    bool linked = false;
};

// Elements are not owned; an element must leave the list before it dies.
template <class T, list_hook<T> T::*Hook>
class intrusive_list {
public:
    intrusive_list() = default;
    intrusive_list(const intrusive_list&) = delete;
    intrusive_list& operator=(const intrusive_list&) = delete;

    bool empty() const noexcept { return head_ == nullptr; }
    std::size_t size() const noexcept { return size_; }
    T* front() const noexcept { return head_; }
    static bool contains_any(const T& x) noexcept { return (x.*Hook).linked; }

    void push_back(T& x) noexcept {
        auto& h = x.*Hook;
        assert(!h.linked);
        h.prev = tail_;
        h.next = nullptr;
        h.linked = true;
        if (tail_ != nullptr) {
            (tail_->*Hook).next = &x;
        } else {
            head_ = &x;
        }
        tail_ = &x;
        ++size_;
    }

    // Precondition: x is on this list.
    void erase(T& x) noexcept {
        auto& h = x.*Hook;
        assert(h.linked);
        if (h.prev != nullptr) {
            (h.prev->*Hook).next = h.next;
        } else {
            head_ = h.next;
        }
        if (h.next != nullptr) {
            (h.next->*Hook).prev = h.prev;
        } else {
            tail_ = h.prev;
        }
        h = list_hook<T>{};
        --size_;
    }

    void move_to_back(T& x) noexcept {
        if (tail_ != &x) {
            erase(x);
            push_back(x);
        }
    }

    // Calls f(element) for each element; f may erase the element it is given.
    template <class F>
    void for_each(F&& f) {
        for (T* x = head_; x != nullptr;) {
            T* next = (x->*Hook).next;
            f(*x);
            x = next;
        }
    }

private:
    T* head_ = nullptr;
    T* tail_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace skynet::broker_detail

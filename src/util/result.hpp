// result<T>: a value or an error, for run-time operations that must not throw through the
// event loop (C++20 has no std::expected). The error carries a code for programs and a
// message for people that names the thing ("i2c-1 0x76 reg 0xF7: read failed: ...").
#pragma once
// SPDX-License-Identifier: Apache-2.0
#include <string>
#include <system_error>
#include <utility>
#include <variant>

namespace piogate::util {

struct error {
    std::error_code code;
    std::string message;
};

template <class T>
class result {
public:
    result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
    result(error e) : v_(std::move(e)) {}      // NOLINT
    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    const error& err() const { return std::get<1>(v_); }

private:
    std::variant<T, error> v_;
};

template <>
class result<void> {
public:
    result() = default;
    result(error e) : e_(std::move(e)), ok_(false) {}  // NOLINT
    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const error& err() const { return e_; }

private:
    error e_;
    bool ok_ = true;
};

}  // namespace piogate::util

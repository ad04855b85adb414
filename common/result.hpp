// Result<T>: a value or a domain error with a stable code; errors a caller must handle are values, not exceptions.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace debrief {

// Stable error kinds; the HTTP edge maps each to a status code.
enum class ErrorKind { invalid, malformed, unsupported_media, unauthorized, forbidden, not_found, conflict, too_large, rate_limited, unavailable, internal };

struct Error {
    ErrorKind kind = ErrorKind::invalid;
    std::string code;     // stable, machine-readable, e.g. "transcript_empty"
    std::string message;  // human-readable detail
    std::string field = {};  // the request field at fault, when there is one (problem+json's "field")
    int retry_after_seconds = 0;  // when a retry may succeed (Retry-After), for refusals under load
};

inline Error invalid(std::string code, std::string message) { return {ErrorKind::invalid, std::move(code), std::move(message)}; }
inline Error conflict(std::string code, std::string message) { return {ErrorKind::conflict, std::move(code), std::move(message)}; }
inline Error not_found(std::string code, std::string message) { return {ErrorKind::not_found, std::move(code), std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<T>(state_); }
    const T& value() const& { return std::get<T>(state_); }
    T&& value() && { return std::get<T>(std::move(state_)); }
    const Error& error() const { return std::get<Error>(state_); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<T, Error> state_;
};

}  // namespace debrief

// A compact binary form of plain structs, by reflection (Boost.PFR): for a local cache such as the write model's
// snapshot, never for a contract between builds (the log's FlatBuffers are that). Fields are written in declaration
// order without names, so a layout fingerprint (layout_of) goes with the bytes and a reader refuses another layout.
#pragma once

#include <boost/pfr.hpp>

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <vector>

namespace debrief::binary {

template <typename T>
struct is_vector : std::false_type {};
template <typename T, typename A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <typename T>
struct is_optional : std::false_type {};
template <typename T>
struct is_optional<std::optional<T>> : std::true_type {};
template <typename T>
struct is_pair : std::false_type {};
template <typename A, typename B>
struct is_pair<std::pair<A, B>> : std::true_type {};
template <typename T>
struct is_map : std::false_type {};
template <typename K, typename V, typename C, typename A>
struct is_map<std::map<K, V, C, A>> : std::true_type {};
template <typename K, typename V, typename H, typename E, typename A>
struct is_map<std::unordered_map<K, V, H, E, A>> : std::true_type {};

template <typename T>
constexpr bool is_scalar_v = std::is_arithmetic_v<T> || std::is_enum_v<T>;

class Writer {
public:
    template <typename T>
    void put(const T& value) {
        if constexpr (is_scalar_v<T>) {
            char bytes[sizeof(T)];
            std::memcpy(bytes, &value, sizeof(T));  // the cache is read by the machine that wrote it
            out_.append(bytes, sizeof(T));
        } else if constexpr (std::is_same_v<T, std::string>) {
            put_size(value.size());
            out_ += value;
        } else if constexpr (is_vector<T>::value || is_map<T>::value) {
            put_size(value.size());
            for (const auto& item : value) put(item);
        } else if constexpr (is_optional<T>::value) {
            put(value.has_value());
            if (value) put(*value);
        } else if constexpr (is_pair<T>::value) {
            put(value.first);
            put(value.second);
        } else {
            static_assert(std::is_aggregate_v<T>, "binary::Writer: a field type it cannot write");
            boost::pfr::for_each_field(value, [this](const auto& field) { put(field); });
        }
    }
    void put_size(std::size_t size) { put(static_cast<std::uint64_t>(size)); }
    std::string& bytes() { return out_; }

private:
    std::string out_;
};

// Reads what Writer wrote; any shortfall or an absurd size makes ok() false (the caller then discards everything).
class Reader {
public:
    explicit Reader(std::string_view bytes) : in_(bytes) {}

    template <typename T>
    void get(T& value) {
        if (!ok_) return;
        if constexpr (is_scalar_v<T>) {
            if (in_.size() < sizeof(T)) return fail();
            std::memcpy(&value, in_.data(), sizeof(T));
            in_.remove_prefix(sizeof(T));
        } else if constexpr (std::is_same_v<T, std::string>) {
            auto size = get_size(1);
            if (!ok_) return;
            value.assign(in_.data(), size);
            in_.remove_prefix(size);
        } else if constexpr (is_vector<T>::value) {
            auto size = get_size(1);
            value.clear();
            value.reserve(size);
            for (std::size_t i = 0; i < size && ok_; ++i) get(value.emplace_back());
        } else if constexpr (is_map<T>::value) {
            auto size = get_size(1);
            value.clear();
            for (std::size_t i = 0; i < size && ok_; ++i) {
                std::pair<typename T::key_type, typename T::mapped_type> item;
                get(item);
                value.insert_or_assign(std::move(item.first), std::move(item.second));
            }
        } else if constexpr (is_optional<T>::value) {
            bool present = false;
            get(present);
            value.reset();
            if (present && ok_) get(value.emplace());
        } else if constexpr (is_pair<T>::value) {
            get(value.first);
            get(value.second);
        } else {
            boost::pfr::for_each_field(value, [this](auto& field) { get(field); });
        }
    }
    // A count of items each at least `least` bytes long: more than the bytes left means the input is corrupt.
    std::size_t get_size(std::size_t least) {
        std::uint64_t size = 0;
        get(size);
        if (ok_ && size > in_.size() / std::max<std::size_t>(least, 1)) fail();
        return ok_ ? static_cast<std::size_t>(size) : 0;
    }
    bool ok() const { return ok_; }
    bool at_end() const { return in_.empty(); }

private:
    void fail() { ok_ = false; }
    std::string_view in_;
    bool ok_ = true;
};

// The shape of a type as Writer lays it out: scalar sizes, containers, and each struct's name and field types.
template <typename T>
void describe(std::string& out) {
    if constexpr (std::is_same_v<T, bool>) {
        out += 'b';
    } else if constexpr (std::is_enum_v<T> || std::is_integral_v<T>) {
        out += (std::is_enum_v<T> ? 'e' : std::is_signed_v<T> ? 'i' : 'u') + std::to_string(sizeof(T));
    } else if constexpr (std::is_floating_point_v<T>) {
        out += 'f' + std::to_string(sizeof(T));
    } else if constexpr (std::is_same_v<T, std::string>) {
        out += 's';
    } else if constexpr (is_vector<T>::value) {
        out += "v<";
        describe<typename T::value_type>(out);
        out += '>';
    } else if constexpr (is_map<T>::value) {
        out += "m<";
        describe<typename T::key_type>(out);
        out += ',';
        describe<typename T::mapped_type>(out);
        out += '>';
    } else if constexpr (is_optional<T>::value) {
        out += "o<";
        describe<typename T::value_type>(out);
        out += '>';
    } else if constexpr (is_pair<T>::value) {
        out += "p<";
        describe<typename T::first_type>(out);
        out += ',';
        describe<typename T::second_type>(out);
        out += '>';
    } else {
        out += typeid(T).name();
        out += '{';
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            ((describe<boost::pfr::tuple_element_t<I, T>>(out), out += ';'), ...);
        }(std::make_index_sequence<boost::pfr::tuple_size_v<T>>{});
        out += '}';
    }
}

template <typename T>
std::string layout_of() {
    std::string out;
    describe<T>(out);
    return out;
}

}  // namespace debrief::binary

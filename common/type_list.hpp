// Compile-time lists of types: the event type list, an aggregate's events, a consumer's ignores.
#pragma once

#include <cstddef>
#include <type_traits>
#include <variant>

namespace debrief {

template <typename... Ts>
struct TypeList {
    static constexpr std::size_t size = sizeof...(Ts);
};

template <typename List, typename T>
struct Contains;
template <typename... Ts, typename T>
struct Contains<TypeList<Ts...>, T> : std::bool_constant<(std::is_same_v<Ts, T> || ...)> {};
template <typename List, typename T>
inline constexpr bool contains_v = Contains<List, T>::value;

template <typename... Lists>
struct Concat;
template <>
struct Concat<> {
    using type = TypeList<>;
};
template <typename... Ts>
struct Concat<TypeList<Ts...>> {
    using type = TypeList<Ts...>;
};
template <typename... As, typename... Bs, typename... Rest>
struct Concat<TypeList<As...>, TypeList<Bs...>, Rest...> : Concat<TypeList<As..., Bs...>, Rest...> {};
template <typename... Lists>
using concat_t = typename Concat<Lists...>::type;

// The members of List for which Predicate<T>::value holds, in order.
template <template <typename> typename Predicate, typename List>
struct Filter;
template <template <typename> typename Predicate, typename... Ts>
struct Filter<Predicate, TypeList<Ts...>> {
    using type = concat_t<std::conditional_t<Predicate<Ts>::value, TypeList<Ts>, TypeList<>>...>;
};
template <template <typename> typename Predicate, typename List>
using filter_t = typename Filter<Predicate, List>::type;

// The alternatives of a std::variant as a list, and back.
template <typename Variant>
struct AlternativesOf;
template <typename... Ts>
struct AlternativesOf<std::variant<Ts...>> {
    using type = TypeList<Ts...>;
};
template <typename List>
struct VariantOf;
template <typename... Ts>
struct VariantOf<TypeList<Ts...>> {
    using type = std::variant<Ts...>;
};

// Calls f(std::type_identity<T>{}) for every T of the list, in order.
template <typename... Ts, typename F>
constexpr void for_each_type(TypeList<Ts...>, F&& f) {
    (f(std::type_identity<Ts>{}), ...);
}

}  // namespace debrief

// The overload-set helper for std::visit: one lambda per alternative.
#pragma once

namespace debrief {

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
// GCC deduces this by itself (C++20 aggregate deduction); clang 14, which builds the fuzz targets, needs the guide.
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace debrief

// The overload-set helper for std::visit: one lambda per alternative.
#pragma once

namespace debrief {

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};

}  // namespace debrief

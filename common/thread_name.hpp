// A thread's name as `top -H`, `perf` and /proc/<pid>/task/*/comm show it: which of Debrief's threads burns the CPU.
#pragma once

#include <pthread.h>

#include <string>
#include <string_view>

namespace debrief {

// Linux keeps 15 bytes of a name: the rest is cut.
inline void name_this_thread(std::string_view name) {
    const std::string kept(name.substr(0, 15));
    pthread_setname_np(pthread_self(), kept.c_str());
}

}  // namespace debrief

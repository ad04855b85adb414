// A key ring for tests: a fixed master key, so what one test seals another reading the same ring opens.
#pragma once

#include "events/keyring.hpp"

namespace debrief::testing {

inline events::MasterKey test_master_key() {
    return events::MasterKey::from_text("0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0").value();
}

// One ring per process: keys made while sealing in one fixture open in another.
inline events::KeyRing& test_keys() {
    static events::KeyRing keys{test_master_key()};
    return keys;
}

}  // namespace debrief::testing

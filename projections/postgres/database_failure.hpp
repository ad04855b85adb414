// Who is to blame when the PostgreSQL projector fails: the database (retry, never dead-letter) or the event.
#pragma once

#include <exception>
#include <string_view>

namespace debrief::projections {

enum class FailureCause {
    transient,  // connection lost, server shutting down, too many connections, serialization failure 40001,
                // deadlock 40P01, lock timeouts, out of resources: retried with backoff
    database,   // the schema, privileges or a statement are wrong (42xxx, internal errors): no event is at fault,
                // so nothing is dead-lettered; retried with backoff, and /readyz says the projector is failing
    event,      // this event cannot be applied (data exceptions 22xxx such as a NUL in text, integrity 23xxx,
                // a failed invariant, a decode error): the event is dead-lettered and the projector goes on
};

// Classifies the exception in flight: call it inside a catch block only.
FailureCause classify_current_exception();
std::string_view to_string(FailureCause cause);

}  // namespace debrief::projections

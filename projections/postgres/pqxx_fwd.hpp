// Forward declarations of the libpqxx types read-model headers name, so pqxx stays in the .cpp files that use it.
#pragma once

namespace pqxx {  // libpqxx 6: connection is a typedef of a connection_base subclass
class connection_base;
class transaction_base;
class row;
}  // namespace pqxx

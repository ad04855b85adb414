#include "projections/postgres/gathered_writes.hpp"

#include <pqxx/pqxx>

#include <array>
#include <span>

#include "projections/postgres/prepared_sql.hpp"

namespace debrief::projections {
namespace {

thread_local GatheredWrites* active_writes = nullptr;

// Rows per statement: a few statement shapes per insert, so each is prepared once per connection.
constexpr std::array<std::size_t, 4> chunk_rows{64, 16, 4, 1};
// A script is sent once it holds this many statements or bytes, whichever comes first.
constexpr std::size_t script_statements = 500;
constexpr std::size_t script_bytes = 1 << 20;

// The index of the parenthesis that closes the one at open, skipping quoted text; npos when there is none.
std::size_t closing_parenthesis(const std::string& sql, std::size_t open) {
    int depth = 0;
    char quote = 0;
    for (std::size_t i = open; i < sql.size(); ++i) {
        const char c = sql[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '(') {
            ++depth;
        } else if (c == ')' && --depth == 0) {
            return i;
        }
    }
    return std::string::npos;
}

// The tuple with every $n moved up by offset.
std::string shifted_parameters(const std::string& tuple, std::size_t offset) {
    std::string out;
    out.reserve(tuple.size() + 16);
    for (std::size_t i = 0; i < tuple.size(); ++i) {
        if (tuple[i] != '$' || i + 1 >= tuple.size() || tuple[i + 1] < '0' || tuple[i + 1] > '9') {
            out += tuple[i];
            continue;
        }
        std::size_t number = 0, j = i + 1;
        for (; j < tuple.size() && tuple[j] >= '0' && tuple[j] <= '9'; ++j) number = number * 10 + static_cast<std::size_t>(tuple[j] - '0');
        out += '$';
        out += std::to_string(number + offset);
        i = j - 1;
    }
    return out;
}

}  // namespace

std::string multi_row_sql(const std::string& sql, std::size_t rows, std::size_t params_per_row) {
    const auto values = sql.find(" values (");
    if (values == std::string::npos || rows == 0) return "";
    const auto open = values + 8;
    const auto close = closing_parenthesis(sql, open);
    if (close == std::string::npos) return "";
    const auto suffix = sql.substr(close + 1);
    if (suffix.find('$') != std::string::npos || suffix.find("do update") != std::string::npos) return "";
    const auto tuple = sql.substr(open, close + 1 - open);
    std::string out = sql.substr(0, open);
    for (std::size_t row = 0; row < rows; ++row) {
        if (row > 0) out += ", ";
        out += shifted_parameters(tuple, row * params_per_row);
    }
    return out + suffix;
}

GatheredWrites::GatheredWrites(pqxx::transaction_base& tx) : tx_(tx), outer_(active_writes) { active_writes = this; }

GatheredWrites::~GatheredWrites() { active_writes = outer_; }

GatheredWrites* GatheredWrites::active(const pqxx::transaction_base& tx) {
    for (auto* writes = active_writes; writes; writes = writes->outer_)
        if (&writes->tx_ == &tx) return writes;
    return nullptr;
}

void GatheredWrites::add(const std::string& sql, std::vector<std::string> params) {
    if (sql != sql_ || params.size() != params_per_row_) {
        end_run();
        if (multi_row_sql(sql, 2, params.size()).empty()) {
            write(sql, params);
            return;
        }
        sql_ = sql;
        params_per_row_ = params.size();
    }
    for (auto& param : params) params_.push_back(std::move(param));
}

void GatheredWrites::write(const std::string& sql, std::span<const std::string> params) {
    end_run();
    // SQL's EXECUTE runs a statement prepared through the protocol, as pqxx prepares them: planned once per connection.
    const auto name = prepared_on(tx_, sql);
    tx_.conn().prepare_now(name);
    script_ += "execute ";
    script_ += name;
    for (std::size_t i = 0; i < params.size(); ++i) {
        script_ += i == 0 ? "(" : ", ";
        script_ += tx_.quote(params[i]);
    }
    script_ += params.empty() ? ";\n" : ");\n";
    if (++statements_ >= script_statements || script_.size() >= script_bytes) send();
}

void GatheredWrites::end_run() {
    if (params_.empty()) return;
    // Taken first: whatever a statement throws, the rows are not written twice.
    auto params = std::move(params_);
    params_.clear();
    const std::size_t rows = params.size() / params_per_row_;
    std::size_t done = 0;
    for (auto chunk : chunk_rows) {
        for (; rows - done >= chunk; done += chunk) {
            const std::span<const std::string> slice(params.data() + done * params_per_row_, chunk * params_per_row_);
            write(chunk == 1 ? sql_ : multi_row_sql(sql_, chunk, params_per_row_), slice);
        }
    }
}

void GatheredWrites::send() {
    if (script_.empty()) return;
    auto script = std::move(script_);  // taken first, as the rows are
    script_.clear();
    statements_ = 0;
    tx_.exec(script);
}

void GatheredWrites::flush() {
    end_run();
    send();
}

}  // namespace debrief::projections

// A byte-level RFC 4180 reader: delimiters are ASCII, so multi-byte UTF-8 passes through and is validated per field.
#include "commands/metrics/csv.hpp"

#include "commands/text_rules.hpp"

namespace debrief::commands::metrics {

CsvDocument parse_csv(std::string_view text, std::size_t max_records) {
    CsvDocument document;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::size_t i = 0;
    std::size_t row = 0;
    while (i < text.size() && document.records.size() < max_records) {
        ++row;
        CsvRecord record{row, {}};
        std::string problem;
        std::string field;
        bool end_of_record = false;
        while (!end_of_record) {
            field.clear();
            if (i < text.size() && text[i] == '"') {
                ++i;
                bool closed = false;
                while (i < text.size()) {
                    char c = text[i++];
                    if (c != '"') {
                        field += c;
                    } else if (i < text.size() && text[i] == '"') {
                        field += '"';
                        ++i;
                    } else {
                        closed = true;
                        break;
                    }
                }
                if (!closed && problem.empty()) problem = "a quoted field is not closed before the end of the file";
                if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r' && problem.empty())
                    problem = "characters after the closing quote of a field (a quote inside a field is written twice: \"\")";
                while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') ++i;  // skip to the next delimiter
            } else {
                while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                    if (text[i] == '"' && problem.empty()) problem = "a quote inside an unquoted field (quote the whole field and write the quote twice)";
                    field += text[i++];
                }
            }
            if (problem.empty() && !is_valid_utf8(field)) problem = "the text is not valid UTF-8 (save the file as CSV UTF-8)";
            if (problem.empty())
                if (auto bad = check_text("a field", field, TextKind::multiline)) problem = bad->message;  // NUL, control characters
            record.fields.push_back(field);
            if (i >= text.size()) {
                end_of_record = true;
            } else if (text[i] == ',') {
                ++i;
            } else {  // CRLF, LF or a lone CR ends the record
                if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
                ++i;
                end_of_record = true;
            }
        }
        if (!problem.empty()) {
            document.problems.push_back({row, std::move(problem)});
            continue;
        }
        bool blank = record.fields.size() == 1 && record.fields[0].empty();
        if (!blank) document.records.push_back(std::move(record));
    }
    document.truncated = i < text.size();
    return document;
}

}  // namespace debrief::commands::metrics

// Writing .eml files atomically.
#include "adapters/delivery/file_drop_delivery.hpp"

#include <fstream>

namespace debrief::delivery {

Result<std::string> FileDropDelivery::deliver(const EmailMessage& message) {
    std::error_code ec;
    std::filesystem::create_directories(directory_, ec);
    if (ec) return Error{ErrorKind::unavailable, "delivery_failed", "cannot create " + directory_.string() + ": " + ec.message()};
    auto name = message.follow_up_id.empty() ? std::string("message") : message.follow_up_id;
    auto final_path = directory_ / (name + ".eml");
    auto temporary = directory_ / ("." + name + ".eml.tmp");
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << to_rfc5322(message);
        out.flush();
        if (!out) return Error{ErrorKind::unavailable, "delivery_failed", "cannot write " + temporary.string()};
    }
    std::filesystem::rename(temporary, final_path, ec);
    if (ec) return Error{ErrorKind::unavailable, "delivery_failed", "cannot rename to " + final_path.string() + ": " + ec.message()};
    return final_path.string();
}

void FileDropDelivery::forget(const std::string& follow_up_id) {
    std::error_code ignored;  // never delivered, or already gone
    std::filesystem::remove(directory_ / (follow_up_id + ".eml"), ignored);
    std::filesystem::remove(directory_ / ("." + follow_up_id + ".eml.tmp"), ignored);
}

}  // namespace debrief::delivery

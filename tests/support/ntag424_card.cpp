#include "ntag424_card.hpp"

#include "nfc/sun_message.hpp"

namespace loyalty::testing {

struct Ntag424::State {
  std::vector<std::uint8_t> Answer(const std::vector<std::uint8_t>& apdu) {
    const std::vector<std::uint8_t> ok = {0x90, 0x00};
    if (apdu.size() >= 5 && apdu[1] == 0xA4 && apdu[2] == 0x04) {  // SELECT application
      ++counter;
      const std::uint8_t padding[5] = {0xA5, 0x5A, 0x00, 0x11, 0x22};
      auto sun = readers::MakeSunParameters(uid, counter, meta_key, file_key, padding);
      if (tamper) sun.c[0] = sun.c[0] == '0' ? '1' : '0';
      url = frozen_url.empty() ? "shop.example/t?e=" + sun.e + "&c=" + sun.c : frozen_url;
      std::vector<std::uint8_t> record = {0xD1, 0x01, static_cast<std::uint8_t>(1 + url.size()),
                                          'U', 0x04};
      for (char c : url) record.push_back(static_cast<std::uint8_t>(c));
      file = {0x00, static_cast<std::uint8_t>(record.size())};
      for (std::uint8_t b : record) file.push_back(b);
      return ok;
    }
    if (apdu.size() >= 7 && apdu[1] == 0xA4 && apdu[5] == 0xE1 && apdu[6] == 0x04) return ok;
    if (apdu.size() >= 5 && apdu[1] == 0xB0) {  // READ BINARY
      const std::size_t offset = static_cast<std::size_t>(apdu[2]) << 8 | apdu[3];
      std::vector<std::uint8_t> data;
      for (std::size_t i = offset; i < offset + apdu[4] && i < file.size(); ++i) {
        data.push_back(file[i]);
      }
      data.insert(data.end(), ok.begin(), ok.end());
      return data;
    }
    return {0x6D, 0x00};
  }

  mutable std::mutex mutex;
  std::vector<std::uint8_t> uid;
  SunKey meta_key{};
  SunKey file_key{};
  std::uint32_t counter = 60;
  std::string url;
  std::string frozen_url;
  bool tamper = false;
  std::vector<std::uint8_t> file;
};

Ntag424::Ntag424(std::vector<std::uint8_t> uid, SunKey meta_read_key, SunKey file_read_key)
    : state_(std::make_shared<State>()) {
  state_->uid = std::move(uid);
  state_->meta_key = meta_read_key;
  state_->file_key = file_read_key;
}

EmulatedCard Ntag424::Card() { return EmulatedCard::IsoDep(state_->uid, Apdus()); }

std::function<std::vector<std::uint8_t>(const std::vector<std::uint8_t>&)> Ntag424::Apdus() {
  return [state = state_](const std::vector<std::uint8_t>& apdu) {
    std::lock_guard lock(state->mutex);
    return state->Answer(apdu);
  };
}

void Ntag424::Replay(std::string frozen_url) {
  std::lock_guard lock(state_->mutex);
  state_->frozen_url = std::move(frozen_url);
}

void Ntag424::TamperMac() {
  std::lock_guard lock(state_->mutex);
  state_->tamper = true;
}

std::string Ntag424::last_url() const {
  std::lock_guard lock(state_->mutex);
  return state_->url;
}

}  // namespace loyalty::testing

// The emulator against Debian's libnfc through its public API: if these
// fail, the reader tests below them mean nothing.
#include "pn532_emulator.hpp"

#include <nfc/nfc.h>

#include <gtest/gtest.h>

#include <thread>

#include "libnfc_env.hpp"
#include "reader_test_util.hpp"

namespace loyalty::testing {
namespace {

using namespace std::chrono_literals;
using readers::testing::Stopwatch;

const std::vector<std::uint8_t> kUid = {0x04, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6};

struct Libnfc {
  Libnfc() { nfc_init(&context); }
  ~Libnfc() {
    if (device) nfc_close(device);
    if (context) nfc_exit(context);
  }
  bool Open(const std::string& connstring) {
    device = nfc_open(context, connstring.c_str());
    return device != nullptr && nfc_initiator_init(device) >= 0;
  }
  nfc_context* context = nullptr;
  nfc_device* device = nullptr;
};

TEST(Pn532Emulator, LibnfcOpensItAndReadsTheFirmware) {
  Pn532Emulator emulator;
  ASSERT_TRUE(emulator.ok());
  Libnfc nfc;
  ASSERT_TRUE(nfc.Open(emulator.connstring()));
  EXPECT_EQ(std::string(nfc_device_get_name(nfc.device)), emulator.connstring());
  EXPECT_GE(emulator.CommandCount(0x00), 1) << "Diagnose";
  EXPECT_GE(emulator.CommandCount(0x02), 1) << "GetFirmwareVersion";
}

TEST(Pn532Emulator, InAutoPollFindsATappedCardAndReadsItsPages) {
  Pn532Emulator emulator;
  Libnfc nfc;
  ASSERT_TRUE(nfc.Open(emulator.connstring()));
  emulator.Tap(EmulatedCard::Ntag213WithText(kUid, "9900123456789017"));
  const nfc_modulation a{NMT_ISO14443A, NBR_106};
  nfc_target target{};
  ASSERT_EQ(nfc_initiator_poll_target(nfc.device, &a, 1, 2, 1, &target), 1);
  // nfc_target is packed: copy fields out before gtest takes references.
  const std::size_t uid_length = target.nti.nai.szUidLen;
  ASSERT_EQ(uid_length, 7u);
  EXPECT_TRUE(std::equal(kUid.begin(), kUid.end(), target.nti.nai.abtUid));
  std::uint8_t page3[16];
  const std::uint8_t read3[] = {0x30, 0x03};
  ASSERT_EQ(nfc_initiator_transceive_bytes(nfc.device, read3, 2, page3, 16, -1), 16);
  EXPECT_EQ(page3[0], 0xE1);
  EXPECT_EQ(page3[4], 0x03) << "NDEF TLV at page 4";
  EXPECT_EQ(nfc_initiator_target_is_present(nfc.device, nullptr), 0);
  emulator.Remove();
  EXPECT_EQ(nfc_initiator_target_is_present(nfc.device, nullptr), NFC_ETGRELEASED);
}

TEST(Pn532Emulator, InAutoPollWithoutACardAnswersNothingAfterItsPeriods) {
  Pn532Emulator emulator;
  Libnfc nfc;
  ASSERT_TRUE(nfc.Open(emulator.connstring()));
  const nfc_modulation a{NMT_ISO14443A, NBR_106};
  nfc_target target{};
  Stopwatch watch;
  EXPECT_EQ(nfc_initiator_poll_target(nfc.device, &a, 1, 2, 1, &target), 0);
  EXPECT_GE(watch.ms(), 290);  // 2 polls x 150 ms
}

TEST(Pn532Emulator, AbortEndsAnEndlessPoll) {
  Pn532Emulator emulator;
  Libnfc nfc;
  ASSERT_TRUE(nfc.Open(emulator.connstring()));
  std::thread aborter([&] {
    std::this_thread::sleep_for(100ms);
    nfc_abort_command(nfc.device);
  });
  const nfc_modulation a{NMT_ISO14443A, NBR_106};
  nfc_target target{};
  int r = nfc_initiator_poll_target(nfc.device, &a, 1, 0xFF, 1, &target);
  aborter.join();
  EXPECT_EQ(r, NFC_EOPABORTED);
  // The chip took the host's ACK as an abort and answers the next command.
  emulator.Tap(EmulatedCard::MifareClassic({0x01, 0x02, 0x03, 0x04}));
  ASSERT_GE(nfc_device_set_property_bool(nfc.device, NP_INFINITE_SELECT, false), 0);
  EXPECT_EQ(nfc_initiator_select_passive_target(nfc.device, a, nullptr, 0, &target), 1);
  const std::size_t uid_length = target.nti.nai.szUidLen;
  const std::uint8_t sak = target.nti.nai.btSak;
  EXPECT_EQ(uid_length, 4u);
  EXPECT_EQ(sak, 0x08);
}

TEST(Pn532Emulator, OtherModulationsFindNothing) {
  Pn532Emulator emulator;
  emulator.Tap(EmulatedCard::Ntag213WithText(kUid, "1234"));
  Libnfc nfc;
  ASSERT_TRUE(nfc.Open(emulator.connstring()));
  ASSERT_GE(nfc_device_set_property_bool(nfc.device, NP_INFINITE_SELECT, false), 0);
  const nfc_modulation felica{NMT_FELICA, NBR_212};
  nfc_target target{};
  EXPECT_EQ(nfc_initiator_select_passive_target(nfc.device, felica, nullptr, 0, &target), 0);
}

TEST(Pn532Emulator, FaultsReachLibnfcAsItsErrors) {
  Pn532Emulator emulator;
  Libnfc nfc;
  ASSERT_TRUE(nfc.Open(emulator.connstring()));
  ASSERT_GE(nfc_device_set_property_bool(nfc.device, NP_INFINITE_SELECT, false), 0);
  const nfc_modulation a{NMT_ISO14443A, NBR_106};
  nfc_target target{};
  emulator.InjectFault(Pn532Fault::kErrorFrame, 0x4A);
  EXPECT_EQ(nfc_initiator_select_passive_target(nfc.device, a, nullptr, 0, &target), NFC_EIO);
  emulator.InjectFault(Pn532Fault::kBadChecksum, 0x4A);
  EXPECT_EQ(nfc_initiator_select_passive_target(nfc.device, a, nullptr, 0, &target), NFC_EIO);
  emulator.InjectFault(Pn532Fault::kNoAnswer, 0x4A);
  EXPECT_EQ(nfc_initiator_select_passive_target(nfc.device, a, nullptr, 0, &target),
            NFC_ETIMEOUT);
  EXPECT_EQ(nfc_initiator_select_passive_target(nfc.device, a, nullptr, 0, &target), 0)
      << "faults are one-shot";
}

TEST(Pn532Emulator, DeadAtOpen) {
  Pn532Emulator emulator;
  emulator.InjectFault(Pn532Fault::kSilent, Pn532Emulator::kAnyCommand, -1);
  Libnfc nfc;
  EXPECT_FALSE(nfc.Open(emulator.connstring()));
}

}  // namespace
}  // namespace loyalty::testing

// ISO/IEC 7813 swipes as wedges and serial readers send them.
#include "magstripe/track_parser.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace loyalty::readers {
namespace {

// Synthetic cards from docs (readers-notes section 5): never real PANs.
constexpr char kTrack1[] = "%B9900123456789017^MEMBER/GOLD^^^?";
constexpr char kTrack2[] = ";9900123456789017=?";
constexpr char kTrack2Only[] = ";9900000000000002?";

std::string WithLrc(std::string track) { return track + TrackLrc(track); }

void ExpectBadRead(std::string_view swipe, std::string_view reason_part,
                   SwipeParseOptions options = {}) {
  auto parsed = ParseSwipe(swipe, options);
  ASSERT_FALSE(parsed.ok()) << swipe;
  EXPECT_EQ(parsed.status().code(), StatusCode::kBadRead);
  EXPECT_NE(parsed.status().message().find(reason_part), std::string::npos)
      << parsed.status().message();
  EXPECT_NE(parsed.status().message().find("swipe"), std::string::npos)
      << "the cashier is told what to do: " << parsed.status().message();
}

TEST(TrackParser, LrcMatchesTheSampleTracks) {
  EXPECT_EQ(TrackLrc("%B4111111111111111^TEST/CARD A^2812101000000000000000000?"), '(');
  EXPECT_EQ(TrackLrc(";4111111111111111=28121010000000000000?"), '5');
  EXPECT_EQ(TrackLrc("%B5555555555554444^PUBLIC/JANE Q^3006201123400000000?"), '5');
  EXPECT_EQ(TrackLrc(";5555555555554444=30062011234000000000?"), ';');
  EXPECT_EQ(TrackLrc(";378282246310005=290110115040000000?"), '0');
  EXPECT_EQ(TrackLrc(";9900000000000002?"), '6');
  EXPECT_EQ(TrackLrc(";9900123456789017=?"), '>');
  EXPECT_EQ(TrackLrc("%B9900123456789017^MEMBER/GOLD^^^?"), '@');
}

TEST(TrackParser, BothTracksGiveTheNumberFromTrack2) {
  auto parsed = ParseSwipe(std::string(kTrack1) + kTrack2);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->card.value(), "9900123456789017");
  EXPECT_EQ(parsed->source, CardSource::kMagstripeTrack2);
}

TEST(TrackParser, FullFinancialLayoutTrack2) {
  auto parsed = ParseSwipe(";4111111111111111=28121010000000000000?");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->card.value(), "4111111111111111");
}

TEST(TrackParser, Track1AloneGivesTheNumberWithItsSource) {
  auto parsed = ParseSwipe("%B4111111111111111^TEST/CARD A^2812101000000000000000000?");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->card.value(), "4111111111111111");
  EXPECT_EQ(parsed->source, CardSource::kMagstripeTrack1);
}

TEST(TrackParser, NumberOnlyTrack2WithoutSeparator) {
  auto parsed = ParseSwipe(kTrack2Only);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->card.value(), "9900000000000002");
}

TEST(TrackParser, Track3AloneWithPlusSentinel) {
  auto parsed = ParseSwipe("+9900000000000002=0000?");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->card.value(), "9900000000000002");
  EXPECT_EQ(parsed->source, CardSource::kMagstripeTrack3);
}

TEST(TrackParser, SecondSemicolonTrackIsTrack3) {
  auto parsed = ParseSwipe(";E?;9900000000000002?");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->source, CardSource::kMagstripeTrack3);
}

TEST(TrackParser, LrcSentByTheReaderIsChecked) {
  auto parsed = ParseSwipe(WithLrc(kTrack1) + WithLrc(kTrack2));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->card.value(), "9900123456789017");
}

TEST(TrackParser, LrcThatLooksLikeAStartSentinelIsStillAnLrc) {
  // Track 2 of sample 4 has ';' as its LRC; at the end of the swipe it
  // cannot be the start of another track.
  auto parsed = ParseSwipe(";5555555555554444=30062011234000000000?;");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->card.value(), "5555555555554444");
  // And with a track 3 after it.
  parsed = ParseSwipe(";5555555555554444=30062011234000000000?;+E?");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
}

TEST(TrackParser, WrongLrcIsABadRead) {
  ExpectBadRead(std::string(kTrack2) + "0", "track 2: LRC mismatch");
}

TEST(TrackParser, MissingLrcWhenTheReaderIsSetToSendIt) {
  SwipeParseOptions options;
  options.lrc = LrcMode::kPresent;
  ExpectBadRead(kTrack2, "track 2: LRC missing", options);
  auto parsed = ParseSwipe(WithLrc(kTrack2), options);
  EXPECT_TRUE(parsed.ok());
}

TEST(TrackParser, WedgeErrorOnEveryTrackIsABadRead) {
  ExpectBadRead("%E?;E?", "track 1: the reader could not decode it");
  ExpectBadRead("%E?;E?+E?", "track 2: the reader could not decode it");
  ExpectBadRead(";E?", "track 2: the reader could not decode it");
  ExpectBadRead("+E?", "track 3: the reader could not decode it");
}

TEST(TrackParser, OnlyOneTrackReadableIsAGoodRead) {
  auto parsed = ParseSwipe(std::string("%E?") + kTrack2);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->source, CardSource::kMagstripeTrack2);
  parsed = ParseSwipe(std::string(kTrack1) + ";E?");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->source, CardSource::kMagstripeTrack1);
  EXPECT_EQ(parsed->card.value(), "9900123456789017");
  // Track 2's LRC failed: track 1 still reads.
  parsed = ParseSwipe(WithLrc(kTrack1) + kTrack2 + "0");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->source, CardSource::kMagstripeTrack1);
}

TEST(TrackParser, ReversedSwipeIsABadRead) {
  std::string reversed(kTrack2);
  std::reverse(reversed.begin(), reversed.end());
  ExpectBadRead(reversed, "read backwards");
}

TEST(TrackParser, TornSwipeWithoutEndSentinel) {
  ExpectBadRead(";99001234567", "track 2: no end sentinel");
  ExpectBadRead("%B9900123456789017^MEMB", "track 1: no end sentinel");
}

TEST(TrackParser, GarbageIsABadRead) {
  ExpectBadRead("hello world", "outside a track");
  ExpectBadRead("", "no track data");
  ExpectBadRead("\r", "no track data");
  ExpectBadRead(";99AB=?", "alphabet");
  ExpectBadRead(";99\x1a" "01234=?", "alphabet");
}

TEST(TrackParser, TracksThatDisagreeAreABadRead) {
  ExpectBadRead(std::string(kTrack1) + ";9900000000000002?", "numbers differ");
}

TEST(TrackParser, Track1WithoutFormatCodeOrSeparator) {
  ExpectBadRead("%9900123456789017^A/B^?", "format code");
  ExpectBadRead("%B9900123456789017?", "no '^'");
}

TEST(TrackParser, NumberFieldTooShortOrLong) {
  ExpectBadRead(";12=?", "2 characters");
  ExpectBadRead(";99001234567890123456=?", "20 characters");
  ExpectBadRead(";=1234?", "0 characters");
}

TEST(TrackParser, ReasonsNeverQuoteTrackData) {
  for (const char* swipe : {";9900123456789017=4?Z", ";9900123456789017=1", "%B9900123456789017^X",
                            "%B9900123456789017^MEMBER/GOLD^^^?;9900000000000002?"}) {
    auto parsed = ParseSwipe(swipe);
    ASSERT_FALSE(parsed.ok()) << swipe;
    EXPECT_EQ(parsed.status().message().find("990012"), std::string::npos)
        << parsed.status().message();
    EXPECT_EQ(parsed.status().message().find("MEMBER"), std::string::npos);
  }
}

TEST(TrackParser, TrailingLineEndAndSpacesAreFraming) {
  auto parsed = ParseSwipe(std::string(" ") + kTrack2 + "\r\n");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->card.value(), "9900123456789017");
}

}  // namespace
}  // namespace loyalty::readers

// The sync module's pure parts: backoff, Retry-After, the signature's
// string, the wire parsers' verdicts on bad answers, and the book's use of
// the server's share of a balance.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "ledger/lots.hpp"
#include "support/test_env.hpp"
#include "sync/backoff.hpp"
#include "sync/request_signer.hpp"
#include "sync/wire.hpp"
#include "trust/codec.hpp"

namespace loyalty {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, FullJitterStaysUnderTheDoublingCeilingAndTheCap) {
  const milliseconds base(1000), cap(300'000);
  EXPECT_EQ(sync::BackoffDelay(0, base, cap, 0.99), milliseconds(0));
  EXPECT_EQ(sync::BackoffDelay(1, base, cap, 0.5), milliseconds(500));
  EXPECT_EQ(sync::BackoffDelay(3, base, cap, 0.5), milliseconds(2000));
  // Far past the cap, and never an overflow.
  EXPECT_EQ(sync::BackoffDelay(200, base, cap, 0.5), milliseconds(150'000));
  EXPECT_LT(sync::BackoffDelay(200, base, cap, 0.999999), cap + milliseconds(1));
  EXPECT_EQ(sync::BackoffDelay(5, base, cap, 0.0), milliseconds(0));
}

TEST(BackoffTest, RetryAfterInSecondsOrAsAnHttpDate) {
  const Timestamp now(milliseconds(1'767'225'600'000));  // Thu, 01 Jan 2026 00:00:00 GMT
  EXPECT_EQ(sync::ParseRetryAfter("7", now), milliseconds(7000));
  EXPECT_EQ(sync::ParseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now), milliseconds(30'000));
  EXPECT_EQ(sync::ParseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now), milliseconds(0));
  EXPECT_EQ(sync::ParseRetryAfter("99999999", now), milliseconds(86'400'000));  // capped: a day
  EXPECT_FALSE(sync::ParseRetryAfter("", now));
  EXPECT_FALSE(sync::ParseRetryAfter("soon", now));
}

TEST(CodecTest, HexAndBase64RoundTripAndRefuseJunk) {
  const std::string bytes("\x00\x01\xfe\xff", 4);
  EXPECT_EQ(trust::ToHex(bytes), "0001feff");
  EXPECT_EQ(trust::FromHex("0001FEff"), bytes);
  EXPECT_FALSE(trust::FromHex("abc"));
  EXPECT_FALSE(trust::FromHex("zz"));
  EXPECT_EQ(trust::FromBase64(trust::ToBase64(bytes)), bytes);
  EXPECT_FALSE(trust::FromBase64("not base64!"));
  EXPECT_EQ(trust::ToHex(trust::Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_NE(trust::RandomHex(16), trust::RandomHex(16));
  EXPECT_EQ(trust::RandomHex(16).size(), 32u);
}

TEST(RequestSignerTest, StringToSignIsTheSevenLinesOfTheProtocol) {
  EXPECT_EQ(sync::RequestStringToSign("GET", "/v1/terminals/T1/changes", "cursor=5&limit=10",
                                      1767225600000, "00112233445566778899aabbccddeeff", ""),
            "LOYALTY1-HMAC-SHA256\nGET\n/v1/terminals/T1/changes\ncursor=5&limit=10\n"
            "1767225600000\n00112233445566778899aabbccddeeff\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  sync::RequestSigner signer("T1", testing::kTestKey);
  HttpRequest request{"POST", "/v1/terminals/T1/batches?x=1", {}, "{}"};
  signer.Sign(request, 1767225600000, "00112233445566778899aabbccddeeff");
  HttpResponse as_sent{200, request.headers, ""};
  EXPECT_EQ(as_sent.Header("x-loyalty-timestamp"), "1767225600000");
  EXPECT_EQ(as_sent.Header("X-LOYALTY-NONCE"), "00112233445566778899aabbccddeeff");
  EXPECT_EQ(as_sent.Header("content-digest"),
            "sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:");
  EXPECT_EQ(as_sent.Header("authorization").rfind(
                "LOYALTY1-HMAC-SHA256 Credential=T1, Signature=", 0),
            0u);
}

TEST(RequestSignerTest, ResponseSignatureIsBoundToTheRequestNonce) {
  sync::RequestSigner signer("T1", testing::kTestKey);
  ledger::Mac mac(testing::kTestKey);
  HttpResponse response{200, {}, R"({"ok":true})"};
  response.headers.emplace_back(
      "x-loyalty-signature",
      trust::ToHex(mac.Compute(sync::ResponseStringToSign(200, "nonce-a", response.body))));
  EXPECT_TRUE(signer.VerifyResponse(response, "nonce-a"));
  EXPECT_FALSE(signer.VerifyResponse(response, "nonce-b"));  // an old answer replayed
  response.body += " ";
  EXPECT_FALSE(signer.VerifyResponse(response, "nonce-a"));
  response.status = 500;
  EXPECT_FALSE(signer.VerifyResponse(response, "nonce-a"));
}

TEST(WireTest, GarbageTruncatedAndIncompleteAnswersAreNetworkErrorsNamingTheProblem) {
  auto garbage = sync::ParsePushAnswer("<html>502 Bad Gateway</html>");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().code(), StatusCode::kNetworkError);

  auto truncated = sync::ParsePushAnswer(R"({"protocol":1,"batch_id":"b","acked_thro)");
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().code(), StatusCode::kNetworkError);

  auto missing = sync::ParsePushAnswer(R"({"protocol":1,"batch_id":"b","server_time":1})");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("acked_through_seq"), std::string::npos)
      << missing.status().message();

  auto wrong_type = sync::ParseChangesPage(
      R"({"protocol":1,"changes":"none","next_cursor":"1","has_more":false,"server_time":1})");
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.status().message().find("changes"), std::string::npos)
      << wrong_type.status().message();
}

TEST(WireTest, ChangesPageKeepsWhatItKnowsAndSkipsKindsItDoesNot) {
  auto page = sync::ParseChangesPage(R"({"protocol":1,"changes":[
      {"kind":"hotlist","card_hash":"00ff","state":"lost","version":7},
      {"kind":"weather","version":8,"sky":"grey"},
      {"kind":"policy","version":9,"offline_redeem_cap_per_card_per_day":500}],
      "next_cursor":"9","has_more":true,"server_time":5,"new_field":{}})");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_GE(page->changes.size(), 2u);
  EXPECT_EQ(page->changes[0].kind, "hotlist");
  EXPECT_EQ(page->changes[0].card_hash, std::string("\x00\xff", 2));
  EXPECT_EQ(page->changes[0].state, "lost");
  EXPECT_EQ(page->changes.back().offline_redeem_cap, 500);
  EXPECT_FALSE(page->changes.back().offline_after_ms);
  EXPECT_EQ(page->next_cursor, "9");
  EXPECT_TRUE(page->has_more);
}

TEST(RemoteShareTest, SpendingTheServersShareLeavesDebtThatTheNextSnapshotBalances) {
  ledger::Book book(0, 0);
  book.SetRemote(500);  // earned at other tills
  EXPECT_EQ(book.Available(0), 500);
  auto moves = book.Spend(200, 0);
  ASSERT_TRUE(moves.ok()) << moves.status().ToString();
  EXPECT_EQ(book.balance(), -200);  // this till's own entries
  EXPECT_EQ(book.debt(), 200);
  EXPECT_EQ(book.Available(0), 300);
  auto over = book.Spend(301, 0);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), StatusCode::kInsufficientPoints);
  // A local credit repays the debt first: the total stays exact.
  ledger::Lot lot;
  lot.id = 9;
  lot.points = 100;
  book.Credit(lot);
  EXPECT_EQ(book.Available(0), 400);
}

TEST(RemoteShareTest, AReplayAcceptsSpendsThatTheShareCoveredAtTheTime) {
  ledger::Book replay(0, 0);
  EXPECT_FALSE(replay.Spend(50, 0).ok());
  replay.AcceptShortfall();
  ASSERT_TRUE(replay.Spend(50, 0).ok());
  EXPECT_EQ(replay.debt(), 50);
  EXPECT_EQ(replay.balance(), -50);
}

TEST(SyncCreateTest, BadOptionsAreNamed) {
  testing::TestTerminal till;
  SyncOptions o;
  o.server_url = "http://127.0.0.1:1";
  auto clear = Sync::Create(*till.terminal, o);
  ASSERT_FALSE(clear.ok());
  EXPECT_EQ(clear.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(clear.status().message().find("server_url"), std::string::npos);

  o.server_url = "https://127.0.0.1:1";
  o.receipt_public_key_pem = "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n";
  auto bad_key = Sync::Create(*till.terminal, o);
  ASSERT_FALSE(bad_key.ok());
  EXPECT_NE(bad_key.status().message().find("receipt_public_key_pem"), std::string::npos);

  o.receipt_public_key_pem.clear();
  o.ca_file = till.dir.File("no-such-ca.pem");
  auto no_ca = Sync::Create(*till.terminal, o);
  ASSERT_FALSE(no_ca.ok());
  EXPECT_NE(no_ca.status().message().find("ca_file"), std::string::npos);

  o.ca_file.clear();
  auto first = Sync::Create(*till.terminal, o);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = Sync::Create(*till.terminal, o);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kInvalidArgument);
}

// Issue 7: a mutual-TLS key file others can read is refused before any use.
TEST(SyncCreateTest, AClientKeyFileOthersCanReadIsRefused) {
  testing::TestTerminal till;
  SyncOptions o;
  o.server_url = "https://127.0.0.1:1";
  o.client_cert_file = testing::WriteFile(till.dir.File("till.pem"), "certificate");
  o.client_key_file = testing::WriteFile(till.dir.File("till.key"), "private key");
  ASSERT_EQ(::chmod(o.client_key_file.c_str(), 0644), 0);
  auto sync = Sync::Create(*till.terminal, o);
  ASSERT_FALSE(sync.ok());
  EXPECT_EQ(sync.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(sync.status().message().find("client_key_file"), std::string::npos);
  EXPECT_NE(sync.status().message().find("0644"), std::string::npos) << sync.status().message();

  ASSERT_EQ(::chmod(o.client_key_file.c_str(), 0600), 0);
  auto private_key = Sync::Create(*till.terminal, o);
  EXPECT_TRUE(private_key.ok()) << private_key.status().ToString();
}

TEST(SyncCreateTest, NoServerMeansANetworkErrorAndNothingLost) {
  testing::TestTerminal till;
  ASSERT_TRUE(till->Enroll({"e1", testing::Card("LC0001"), "", "Ada"}).ok());
  SyncOptions o;
  o.server_url = "https://127.0.0.1:1";  // nothing listens on port 1
  o.connect_timeout = milliseconds(2000);
  auto sync = Sync::Create(*till.terminal, o);
  ASSERT_TRUE(sync.ok()) << sync.status().ToString();
  Status s = (*sync)->SyncNow();
  EXPECT_EQ(s.code(), StatusCode::kNetworkError) << s.ToString();
  SyncStatus st = (*sync)->status();
  EXPECT_EQ(st.acked_seq, 0);
  EXPECT_GE(st.backlog, 1);
  EXPECT_EQ(st.consecutive_failures, 1);
  EXPECT_TRUE(st.next_attempt.has_value());
  EXPECT_FALSE(st.last_success.has_value());
}

}  // namespace
}  // namespace loyalty

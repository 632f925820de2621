// Key files are refused unless only their owner can read them.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "loyalty/env.hpp"
#include "support/test_env.hpp"

namespace loyalty {
namespace {

using testing::ScratchDir;
using testing::WriteFile;

std::string KeyFile(const ScratchDir& dir, mode_t mode) {
  const std::string path = dir.File("terminal.key");
  WriteFile(path, std::string(32, 'k'));
  EXPECT_EQ(::chmod(path.c_str(), mode), 0);
  return path;
}

TEST(SecretFile, OwnerOnlyKeyIsRead) {
  ScratchDir dir;
  for (mode_t mode : {0600, 0400}) {
    auto key = ReadSecretFile(KeyFile(dir, mode));
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    EXPECT_EQ(*key, std::string(32, 'k'));
  }
}

TEST(SecretFile, GroupOrOtherReadableKeyIsRefusedNamingFileAndMode) {
  ScratchDir dir;
  for (mode_t mode : {0644, 0640, 0604, 0660, 0610, 0601, 0777}) {
    const std::string path = KeyFile(dir, mode);
    auto key = ReadSecretFile(path);
    ASSERT_FALSE(key.ok()) << std::oct << mode;
    EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
    const std::string message = key.status().message();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
    EXPECT_NE(message.find(octal), std::string::npos) << message;
    EXPECT_EQ(message.find("kkkk"), std::string::npos) << "the key leaked into the message";
  }
}

TEST(SecretFile, DirectoryAndFifoAreRefused) {
  ScratchDir dir;
  const std::string folder = dir.File("keys");
  std::filesystem::create_directory(folder);
  ::chmod(folder.c_str(), 0700);
  auto read = ReadSecretFile(folder);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(read.status().message().find("not a regular file"), std::string::npos);

  // A FIFO with no writer would block a plain open; this must return.
  const std::string fifo = dir.File("key.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  read = ReadSecretFile(fifo);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("not a regular file"), std::string::npos);
}

TEST(SecretFile, SymlinkToAPrivateKeyIsFollowed) {
  ScratchDir dir;
  const std::string target = KeyFile(dir, 0600);
  const std::string link = dir.File("current.key");
  std::filesystem::create_symlink(target, link);
  auto key = ReadSecretFile(link);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
}

TEST(SecretFile, MissingFileIsAnIoErrorNamingIt) {
  ScratchDir dir;
  const std::string path = dir.File("absent.key");
  auto key = ReadSecretFile(path);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kIoError);
  EXPECT_NE(key.status().message().find(path), std::string::npos);
}

}  // namespace
}  // namespace loyalty

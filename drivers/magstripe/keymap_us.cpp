#include "magstripe/keymap_us.hpp"

#include <linux/input-event-codes.h>

namespace loyalty::readers {
namespace {

struct Key {
  unsigned code;
  char plain;
  char shifted;
};

// Letters come out upper case either way: track 1 is upper case only, and
// the host's Caps Lock would otherwise invert what the wedge meant.
constexpr Key kKeys[] = {
    {KEY_1, '1', '!'},  {KEY_2, '2', '@'},  {KEY_3, '3', '#'},  {KEY_4, '4', '$'},
    {KEY_5, '5', '%'},  {KEY_6, '6', '^'},  {KEY_7, '7', '&'},  {KEY_8, '8', '*'},
    {KEY_9, '9', '('},  {KEY_0, '0', ')'},  {KEY_MINUS, '-', '_'}, {KEY_EQUAL, '=', '+'},
    {KEY_Q, 'Q', 'Q'},  {KEY_W, 'W', 'W'},  {KEY_E, 'E', 'E'},  {KEY_R, 'R', 'R'},
    {KEY_T, 'T', 'T'},  {KEY_Y, 'Y', 'Y'},  {KEY_U, 'U', 'U'},  {KEY_I, 'I', 'I'},
    {KEY_O, 'O', 'O'},  {KEY_P, 'P', 'P'},  {KEY_LEFTBRACE, '[', '{'},
    {KEY_RIGHTBRACE, ']', '}'}, {KEY_A, 'A', 'A'}, {KEY_S, 'S', 'S'}, {KEY_D, 'D', 'D'},
    {KEY_F, 'F', 'F'},  {KEY_G, 'G', 'G'},  {KEY_H, 'H', 'H'},  {KEY_J, 'J', 'J'},
    {KEY_K, 'K', 'K'},  {KEY_L, 'L', 'L'},  {KEY_SEMICOLON, ';', ':'},
    {KEY_APOSTROPHE, '\'', '"'}, {KEY_GRAVE, '`', '~'}, {KEY_BACKSLASH, '\\', '|'},
    {KEY_Z, 'Z', 'Z'},  {KEY_X, 'X', 'X'},  {KEY_C, 'C', 'C'},  {KEY_V, 'V', 'V'},
    {KEY_B, 'B', 'B'},  {KEY_N, 'N', 'N'},  {KEY_M, 'M', 'M'},  {KEY_COMMA, ',', '<'},
    {KEY_DOT, '.', '>'}, {KEY_SLASH, '/', '?'}, {KEY_SPACE, ' ', ' '},
    {KEY_KP0, '0', '0'}, {KEY_KP1, '1', '1'}, {KEY_KP2, '2', '2'}, {KEY_KP3, '3', '3'},
    {KEY_KP4, '4', '4'}, {KEY_KP5, '5', '5'}, {KEY_KP6, '6', '6'}, {KEY_KP7, '7', '7'},
    {KEY_KP8, '8', '8'}, {KEY_KP9, '9', '9'}, {KEY_KPMINUS, '-', '-'},
    {KEY_KPPLUS, '+', '+'}, {KEY_KPASTERISK, '*', '*'}, {KEY_KPSLASH, '/', '/'},
    {KEY_KPDOT, '.', '.'}, {KEY_ENTER, '\r', '\r'}, {KEY_KPENTER, '\r', '\r'},
};

}  // namespace

bool IsShiftKey(unsigned code) noexcept {
  return code == KEY_LEFTSHIFT || code == KEY_RIGHTSHIFT;
}

char KeyToChar(unsigned code, bool shift) noexcept {
  if (IsShiftKey(code) || code == KEY_CAPSLOCK || code == KEY_NUMLOCK ||
      code == KEY_LEFTCTRL || code == KEY_RIGHTCTRL || code == KEY_LEFTALT ||
      code == KEY_RIGHTALT) {
    return '\0';
  }
  for (const Key& key : kKeys) {
    if (key.code == code) return shift ? key.shifted : key.plain;
  }
  return kUnknownKey;
}

}  // namespace loyalty::readers

#include "engine/program.hpp"

// Program is a plain aggregate; this unit anchors it in the engine target so
// the layer has one home for program helpers as the model grows.
namespace loyalty::engine {}

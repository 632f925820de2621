// The whole C++ API in one include.
#pragma once

#include "loyalty/account.hpp"
#include "loyalty/basket.hpp"
#include "loyalty/card.hpp"
#include "loyalty/env.hpp"
#include "loyalty/money.hpp"
#include "loyalty/quote.hpp"
#include "loyalty/receipt.hpp"
#include "loyalty/status.hpp"
#include "loyalty/sync.hpp"
#include "loyalty/terminal.hpp"
#include "loyalty/verify.hpp"
#include "loyalty/version.hpp"

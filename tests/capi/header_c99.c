/* loyalty.h must compile as strict C99 with every warning on. */
#include "loyalty/loyalty.h"

int loyalty_header_is_c99(void);
int loyalty_header_is_c99(void) {
  loyalty_status s = LOYALTY_OK;
  loyalty_key key = LOYALTY_CARD_AVAILABLE;
  return (int)s + (int)key;
}
